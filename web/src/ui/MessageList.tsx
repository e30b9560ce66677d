/**
 * The "Messages" list: newest at the bottom, earlier pages loaded as the reader scrolls up
 * (keeping their place), stuck to the bottom while they are there, and a "new messages"
 * button when something arrives while they read further up. Joins, leaves, renames and
 * topics are lines between the messages (separators, not list items). A channel opened with
 * unread messages opens at a "New" line above the first of them (loading earlier pages
 * until it is there), with "Jump to first unread" while that line is out of view; the
 * store is told whenever the latest message is in view, which is what reads the channel.
 * Given a `target` (a search result), it opens there instead, loading earlier pages until
 * that message is loaded, and highlights it.
 */
import { type ReactElement, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Activity } from "../../../functions/domain/projections/channel";
import { activityText, channelLines, firstUnread } from "../state/channelLines";
import type { MessageRow } from "../state/outbox";
import { useChat, useStore } from "./context";
import { dayKey, formatDay } from "./format";
import { Icon } from "./icons";
import { MessageItem } from "./MessageItem";
import { jumpToMessage } from "./search/jumpToMessage";

export interface MessageListProps {
  channelId: string;
  channelName: string;
  /** A DM's people ("Ben, Cat"): its beginning is told with them instead of a channel name. */
  dmWith?: string;
  rows: MessageRow[];
  activity: readonly Activity[];
  /** The channel's read mark when it was opened (undefined until known). */
  unreadAfter: number | undefined;
  meId: string;
  member: boolean;
  hasEarlier: boolean;
  loadingEarlier: boolean;
  loaded: boolean;
  /** The message whose edit box is open. */
  editingId: string | undefined;
  onStartEdit(messageId: string): void;
  onEndEdit(): void;
  /** Opens a message's thread (absent: no threads here). */
  onOpenThread?(messageId: string): void;
  /** A message to open the list at (`?m=`): earlier pages load until it is there. */
  target?: string;
}

/** How many messages are loaded at most to open a channel at its first unread one. */
const maxUnreadRows = 500;

/** Consecutive messages of one author within this long share one header, as in Slack. */
const groupMs = 5 * 60_000;

export function MessageList(props: MessageListProps): ReactElement {
  const { channelId, channelName, rows, activity, unreadAfter, meId, member, hasEarlier, loadingEarlier, loaded, editingId, onStartEdit, onEndEdit, onOpenThread, target } = props;
  const store = useStore();
  const users = useChat((s) => s.users);
  const bots = useChat((s) => s.bots);
  const scroller = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const previous = useRef<{ first?: string; last?: string; height: number }>({ height: 0 });
  const [unseen, setUnseen] = useState(false);
  const divider = useRef<HTMLLIElement>(null);
  const atUnread = useRef(false);
  const [unreadOutOfView, setUnreadOutOfView] = useState(false);
  /** The target the list was last taken to (or given up on: it is not in the channel). */
  const jumped = useRef<string | undefined>(undefined);
  const seeking = target !== undefined && jumped.current !== target;
  const lines = useMemo(() => channelLines(rows, activity, loaded && !hasEarlier, unreadAfter), [rows, activity, loaded, hasEarlier, unreadAfter]);
  const wantsUnread = unreadAfter !== undefined && firstUnread(rows, unreadAfter) !== undefined;
  // The first unread message is loaded once an earlier one (or the channel's start) is; past a
  // few pages of unread messages, the list starts at the earliest loaded.
  const unreadLoaded = wantsUnread && (!hasEarlier || (rows[0]?.seq ?? Infinity) <= unreadAfter || rows.length >= maxUnreadRows);
  /** Tells the store whether the latest message is in view (not before the list was taken to the unread ones). */
  const report = useCallback(() => store.setAtLatest(channelId, pinned.current && (!wantsUnread || atUnread.current)), [store, channelId, wantsUnread]);

  const loadEarlier = useCallback(() => {
    if (hasEarlier && !loadingEarlier) void store.sync.loadEarlier(channelId);
  }, [store, channelId, hasEarlier, loadingEarlier]);

  // Keep the reader's place: at the bottom when they were there; on the same message when earlier ones were added above.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = rows[0]?.messageId;
    const last = rows[rows.length - 1]?.messageId;
    const before = previous.current;
    const prepended = before.first !== undefined && first !== before.first && rows.some((r, i) => i > 0 && r.messageId === before.first);
    const ours = rows[rows.length - 1]?.status === "sending" && last !== before.last;
    if (seeking && rows.some((r) => r.messageId === target) && jumpToMessage(el, target)) {
      // Opened at a message (a search result): there, rather than at the unread ones or the bottom.
      jumped.current = target;
      atUnread.current = true;
      pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    } else if (unreadLoaded && !atUnread.current && divider.current && !seeking) {
      // Opened with unread messages: start at the "New" line rather than at the bottom.
      atUnread.current = true;
      el.scrollTop = Math.max(0, divider.current.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop - 8);
      pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    } else if (prepended && !pinned.current) el.scrollTop += el.scrollHeight - before.height;
    else if (pinned.current || ours) {
      el.scrollTop = el.scrollHeight;
      pinned.current = true;
    }
    else if (last !== before.last && before.last !== undefined) setUnseen(true);
    previous.current = { first, last, height: el.scrollHeight };
    report();
    // Earlier pages until the message sought, or else the first unread one, is there.
    if (seeking && loaded && jumped.current !== target) {
      if (hasEarlier) loadEarlier();
      else jumped.current = target; // not in the channel (any more): the list stays at the bottom
    } else if (wantsUnread && !unreadLoaded && !atUnread.current) loadEarlier();
  }, [rows, unreadLoaded, wantsUnread, report, loadEarlier, seeking, target, loaded, hasEarlier]);

  // Earlier pages come in when the top of the list is near (also when the list is too short to scroll).
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasEarlier) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadEarlier(), {
      root: scroller.current,
      rootMargin: "400px 0px 0px 0px",
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasEarlier, loadEarlier, rows.length]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    if (pinned.current) setUnseen(false);
    const line = divider.current?.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    setUnreadOutOfView(line !== undefined && (line.bottom < box.top || line.top > box.bottom));
    report();
  };

  const jumpToUnread = () => {
    const el = scroller.current;
    if (!el || !divider.current) return;
    el.scrollTop = Math.max(0, divider.current.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop - 8);
    onScroll();
  };

  const jumpToLatest = () => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    pinned.current = true;
    setUnseen(false);
  };

  return (
    <div className="messages-pane">
      <div className="messages-scroll" ref={scroller} onScroll={onScroll}>
        <div ref={sentinel} className="sentinel" />
        {hasEarlier ? (
          <div className="history-more">
            <button type="button" className="link" onClick={loadEarlier} disabled={loadingEarlier}>
              {loadingEarlier ? "Loading earlier messages…" : "Load earlier messages"}
            </button>
          </div>
        ) : (
          loaded && (
            <div className="channel-intro">
              <p className="channel-intro-title" aria-hidden="true">
                {props.dmWith ?? `#${channelName}`}
              </p>
              {props.dmWith ? (
                <p>This is the very beginning of your direct messages with {props.dmWith}.</p>
              ) : (
                <p>This is the very beginning of the #{channelName} channel.{member ? "" : " Join to take part."}</p>
              )}
            </div>
          )
        )}
        {!loaded && (
          <p className="loading" role="status">
            Loading messages…
          </p>
        )}
        <ol className="messages" aria-label="Messages">
          {lines.map((line, i) => {
            if (line.kind === "new") {
              return (
                <li key="new" ref={divider} role="separator" aria-label="New" className="new-divider">
                  <span>New</span>
                </li>
              );
            }
            if (line.kind === "activity") {
              const text = activityText(line.activity, (id) => users.get(id) || "Someone");
              return (
                <li key={`a${line.activity.seq}`} role="separator" aria-label={text} className="activity-line">
                  {text}
                </li>
              );
            }
            const row = line.row;
            const prior = previousRow(lines, i);
            const newDay = !prior || dayKey(prior.sentAt) !== dayKey(row.sentAt);
            const grouped =
              !newDay && prior !== undefined && lines[i - 1]?.kind === "message" && prior.userId === row.userId && !prior.deleted && Date.parse(row.sentAt) - Date.parse(prior.sentAt) < groupMs;
            return (
              <MessageItem
                key={row.messageId}
                channelId={channelId}
                row={row}
                author={users.get(row.userId) || "Someone"}
                bot={bots.has(row.userId)}
                mine={row.userId === meId}
                canChange={member && row.userId === meId}
                canReact={member}
                grouped={grouped}
                day={newDay ? formatDay(row.sentAt) : undefined}
                editing={row.messageId === editingId}
                onStartEdit={onStartEdit}
                onEndEdit={onEndEdit}
                onOpenThread={onOpenThread}
                target={row.messageId === target}
              />
            );
          })}
        </ol>
      </div>
      {unreadOutOfView && (
        <button type="button" className="jump-unread" onClick={jumpToUnread}>
          <Icon name="up" size={14} />
          Jump to first unread
        </button>
      )}
      {unseen && (
        <button type="button" className="jump-latest" onClick={jumpToLatest}>
          <Icon name="down" size={14} />
          New messages
        </button>
      )}
    </div>
  );
}

/** The last message before line `i`. */
function previousRow(lines: ReturnType<typeof channelLines>, i: number): MessageRow | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const line = lines[j]!;
    if (line.kind === "message") return line.row;
  }
  return undefined;
}
