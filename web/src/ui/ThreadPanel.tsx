/**
 * The thread beside the channel (on a narrow screen, over it): a region "Thread" with the
 * message it answers, the list "Replies" (each as a channel's message is shown, our own with
 * "Edit message" and "Delete message", ours on their way as sending or "Not sent"), and the
 * box "Reply" with "Send reply" (Enter sends, Shift+Enter starts a new line). "Close thread"
 * or Escape goes back to the channel alone. The URL names the thread, so a reload keeps it;
 * and a reply it names (`target`, a search result) is scrolled to and highlighted once loaded.
 */
import { type KeyboardEvent, type ReactElement, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { lengthNote, tooLong } from "../compose/messageLength";
import { channelPath } from "../route";
import { navigate } from "../router";
import { rowsOf } from "../state/outbox";
import { rowsFor } from "../state/selectors";
import { hasEarlier } from "../state/timeline";
import { useChat, useStore } from "./context";
import { Icon } from "./icons";
import { MessageItem } from "./MessageItem";
import { RetryAlert } from "./RetryAlert";
import { jumpToMessage } from "./search/jumpToMessage";

/** How many earlier pages of the channel are read, at most, to find the message a thread answers. */
const rootSearchPages = 10;

export function ThreadPanel({ channelId, threadId, target }: { channelId: string; threadId: string; target?: string }): ReactElement {
  const store = useStore();
  const open = useSyncExternalStore(store.threads.subscribe, store.threads.getState);
  const t = useChat((s) => s.timelines.get(channelId));
  const outbox = useChat((s) => s.outbox);
  const users = useChat((s) => s.users);
  const bots = useChat((s) => s.bots);
  const me = useChat((s) => s.me);
  const loadingEarlier = useChat((s) => s.loadingEarlier.has(channelId));
  const [editingId, setEditingId] = useState<string>();
  const endEdit = useCallback(() => setEditingId(undefined), []);
  const close = useCallback(() => navigate(channelPath(channelId)), [channelId]);

  useEffect(() => {
    store.threads.open(channelId, threadId);
    return () => store.threads.close();
  }, [store, channelId, threadId]);

  const shown = open?.thread.channelId === channelId && open.thread.threadId === threadId ? open : undefined;
  const rows = useMemo(() => rowsOf(shown?.replies ?? [], outbox, channelId, threadId), [shown, outbox, channelId, threadId]);
  const root = useMemo(() => rowsFor(t, outbox, channelId).find((r) => r.messageId === threadId), [t, outbox, channelId, threadId]);
  const member = t?.head?.members.includes(me.userId) ?? false;

  // The message answered may be on an earlier page than those loaded (a thread opened from Mentions or a link).
  const searched = useRef(0);
  useEffect(() => {
    if (root || !t?.pages || !hasEarlier(t) || loadingEarlier || searched.current >= rootSearchPages) return;
    searched.current++;
    void store.sync.loadEarlier(channelId);
  }, [root, t, loadingEarlier, store, channelId]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && !event.defaultPrevented && !(event.target as Element).closest("dialog")) close();
  };

  const scroller = useStickToBottom(rows);
  useJumpToReply(scroller, rows, target, shown?.loaded ?? false);
  const item = (row: (typeof rows)[number]) => (
    <MessageItem
      key={row.messageId}
      channelId={channelId}
      row={row}
      author={users.get(row.userId) || "Someone"}
      bot={bots.has(row.userId)}
      mine={row.userId === me.userId}
      canChange={member && row.userId === me.userId}
      canReact={member}
      grouped={false}
      day={undefined}
      editing={row.messageId === editingId}
      onStartEdit={setEditingId}
      onEndEdit={endEdit}
      target={row.messageId === target}
    />
  );

  return (
    <section className="thread-panel" aria-labelledby="thread-title" onKeyDown={onKeyDown}>
      <header className="thread-header">
        <div>
          <h2 id="thread-title">Thread</h2>
          {t?.head && <p className="thread-channel">#{t.head.name}</p>}
        </div>
        <button type="button" className="icon-button" aria-label="Close thread" title="Close thread" onClick={close}>
          <Icon name="close" size={18} />
        </button>
      </header>
      <div className="thread-scroll" ref={scroller}>
        {root ? (
          <ul className="messages thread-root" aria-label="Thread root">
            {item(root)}
          </ul>
        ) : (
          <p className="loading">Loading the message…</p>
        )}
        {shown?.problem === "unavailable" && <RetryAlert className="channel-problem" message="The replies could not be loaded." onRetry={() => store.threads.reconnected()} />}
        {(shown?.problem === "forbidden" || shown?.problem === "not_found") && <p className="empty-main">This thread cannot be shown.</p>}
        {rows.length > 0 && <div className="thread-divider">{rows.length === 1 ? "1 reply" : `${rows.length} replies`}</div>}
        <ol className="messages thread-replies" aria-label="Replies" aria-busy={!shown?.loaded || undefined}>
          {rows.map((row) => item(row))}
        </ol>
        {!shown?.loaded && !shown?.problem && (
          <p className="loading" role="status">
            Loading replies…
          </p>
        )}
      </div>
      {member && !root?.deleted ? (
        <ReplyBox onSend={(text) => store.writes.send(channelId, text, threadId)} focusKey={threadId} />
      ) : (
        !member && t?.head && <p className="thread-note">Join the channel to reply.</p>
      )}
    </section>
  );
}

/** Keeps the replies scrolled to the latest while the reader is there (and when they send one). */
function useStickToBottom(rows: readonly { messageId: string; status?: string }[]) {
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => (pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48);
    el.addEventListener("scroll", onScroll);
    return () => el.removeEventListener("scroll", onScroll);
  }, []);
  const last = rows[rows.length - 1];
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && (pinned.current || last?.status === "sending")) el.scrollTop = el.scrollHeight;
  }, [last?.messageId, last?.status]);
  return scroller;
}

/** Takes the replies to the one the URL names once it is there (after the scroll to the latest, which it overrides). */
function useJumpToReply(scroller: React.RefObject<HTMLDivElement | null>, rows: readonly { messageId: string }[], target: string | undefined, loaded: boolean) {
  const jumped = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    if (target === undefined || jumped.current === target) return;
    if (rows.some((r) => r.messageId === target) && jumpToMessage(scroller.current, target)) jumped.current = target;
    else if (loaded) jumped.current = target; // not among the replies (any more)
  }, [scroller, rows, target, loaded]);
}

/** The box "Reply" and the button "Send reply": Enter sends, Shift+Enter starts a new line. */
function ReplyBox({ onSend, focusKey }: { onSend(text: string): void; focusKey: string }): ReactElement {
  const [text, setText] = useState("");
  const [refusal, setRefusal] = useState<string>();
  const box = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    box.current?.focus({ preventScroll: true });
  }, [focusKey]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
  }, [text]);

  const send = () => {
    if (!text.trim()) return;
    const problem = tooLong(text);
    if (problem) return setRefusal(problem);
    onSend(text);
    setText("");
    setRefusal(undefined);
  };
  const length = lengthNote(text);
  return (
    <form
      className="composer thread-composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
        box.current?.focus();
      }}
    >
      <div className="composer-box">
        <textarea
          ref={box}
          aria-label="Reply"
          placeholder="Reply…"
          rows={1}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            if (refusal && !tooLong(event.target.value)) setRefusal(undefined);
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" className="send-button" aria-label="Send reply" title="Send reply (Enter)" disabled={!text.trim()}>
          <Icon name="send" size={18} />
        </button>
      </div>
      {refusal && (
        <p className="form-error composer-refusal" role="alert">
          {refusal}
        </p>
      )}
      {length && <p className={`composer-count${length.left < 0 ? " is-over" : ""}`}>{length.note}</p>}
    </form>
  );
}
