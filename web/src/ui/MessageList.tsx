/**
 * The "Messages" list: newest at the bottom, earlier pages loaded as the reader scrolls up
 * (keeping their place), stuck to the bottom while they are there, and a "new messages"
 * button when something arrives while they read further up.
 */
import { type ReactElement, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { MessageRow } from "../state/outbox";
import { useChat, useStore } from "./context";
import { dayKey, formatDay } from "./format";
import { Icon } from "./icons";
import { MessageItem } from "./MessageItem";

export interface MessageListProps {
  channelId: string;
  channelName: string;
  rows: MessageRow[];
  meId: string;
  member: boolean;
  hasEarlier: boolean;
  loadingEarlier: boolean;
  loaded: boolean;
  /** The message whose edit box is open. */
  editingId: string | undefined;
  onStartEdit(messageId: string): void;
  onEndEdit(): void;
}

/** Consecutive messages of one author within this long share one header, as in Slack. */
const groupMs = 5 * 60_000;

export function MessageList({ channelId, channelName, rows, meId, member, hasEarlier, loadingEarlier, loaded, editingId, onStartEdit, onEndEdit }: MessageListProps): ReactElement {
  const store = useStore();
  const users = useChat((s) => s.users);
  const scroller = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const previous = useRef<{ first?: string; last?: string; height: number }>({ height: 0 });
  const [unseen, setUnseen] = useState(false);

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
    if (prepended && !pinned.current) el.scrollTop += el.scrollHeight - before.height;
    else if (pinned.current || ours) {
      el.scrollTop = el.scrollHeight;
      pinned.current = true;
    }
    else if (last !== before.last && before.last !== undefined) setUnseen(true);
    previous.current = { first, last, height: el.scrollHeight };
  }, [rows]);

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
                #{channelName}
              </p>
              <p>This is the very beginning of the #{channelName} channel.{member ? "" : " Join to take part."}</p>
            </div>
          )
        )}
        {!loaded && (
          <p className="loading" role="status">
            Loading messages…
          </p>
        )}
        <ol className="messages" aria-label="Messages">
          {rows.map((row, i) => {
            const prior = rows[i - 1];
            const newDay = !prior || dayKey(prior.sentAt) !== dayKey(row.sentAt);
            const grouped =
              !newDay && prior !== undefined && prior.userId === row.userId && !prior.deleted && Date.parse(row.sentAt) - Date.parse(prior.sentAt) < groupMs;
            return (
              <MessageItem
                key={row.messageId}
                channelId={channelId}
                row={row}
                author={users.get(row.userId) || "Someone"}
                mine={row.userId === meId}
                canChange={member && row.userId === meId}
                grouped={grouped}
                day={newDay ? formatDay(row.sentAt) : undefined}
                editing={row.messageId === editingId}
                onStartEdit={onStartEdit}
                onEndEdit={onEndEdit}
              />
            );
          })}
        </ol>
      </div>
      {unseen && (
        <button type="button" className="jump-latest" onClick={jumpToLatest}>
          <Icon name="down" size={14} />
          New messages
        </button>
      )}
    </div>
  );
}
