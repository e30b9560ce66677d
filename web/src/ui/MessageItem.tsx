/**
 * One message: author, time, text (mrkdwn, mentions of the reader highlighted), "(edited)", or
 * "This message was deleted". Our own messages offer "Edit message" (Escape or Save brings
 * focus back to that button) and "Delete message" (after asking); one still on its way
 * shows "Sending…" or "Waiting for connection" (it goes by itself), or, refused by the
 * server, "Not sent" with Retry (same Idempotency-Key) and Discard. A refused edit keeps
 * its text, with Retry and Cancel (back to the stored text); so does a refused deletion.
 * A channel's message (given `onOpenThread`) offers "Reply in thread" and shows its thread's summary.
 * Members may react: "Add reaction" opens the picker, and the reactions show under the text.
 * The message a search result opened (`target`) is highlighted a moment, and can take focus.
 */
import { type KeyboardEvent, memo, type ReactElement, useEffect, useRef, useState } from "react";
import type { MessageRow } from "../state/outbox";
import { Avatar } from "./Avatar";
import { ConfirmDialog } from "./ConfirmDialog";
import { useStore } from "./context";
import { formatFull, formatTime } from "./format";
import { Icon } from "./icons";
import { MessageText } from "./MessageText";
import { ThreadSummary } from "./ThreadSummary";
import { EmojiPicker } from "./reactions/EmojiPicker";
import { ReactionBar } from "./reactions/ReactionBar";

export interface MessageItemProps {
  channelId: string;
  row: MessageRow;
  author: string;
  /** The author is an app's bot: an "APP" badge beside the name, so that it cannot pass for a person. */
  bot?: boolean;
  mine: boolean;
  canChange: boolean;
  /** Whether the reader may react to messages here (a member). */
  canReact: boolean;
  grouped: boolean;
  /** The day heading to show above this message (first message of a day). */
  day: string | undefined;
  editing: boolean;
  onStartEdit(messageId: string): void;
  onEndEdit(): void;
  /** Given (a channel's message, not a reply): "Reply in thread", and its thread's summary, open the thread. */
  onOpenThread?(messageId: string): void;
  /** The message the URL names (`?m=`, a search result): highlighted a moment. */
  target?: boolean;
}

export const MessageItem = memo(function MessageItem({ channelId, row, author, bot, canChange, canReact, grouped, day, editing, onStartEdit, onEndEdit, onOpenThread, target = false }: MessageItemProps): ReactElement {
  const store = useStore();
  const [confirming, setConfirming] = useState(false);
  const [picking, setPicking] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(editing);
  const deleting = useRef(false);
  const onItsWay = row.status === "sending" || row.status === "waiting";
  const unsent = !row.change && (onItsWay || row.status === "failed");
  const changeable = canChange && !row.deleted && !unsent;
  const threadable = onOpenThread !== undefined && !row.deleted && !unsent;
  const reactable = canReact && !row.deleted && !unsent;
  const react = (emoji: string, add: boolean) => store.writes.react(channelId, row.messageId, emoji, add);
  const classes = ["message", grouped ? "is-grouped" : "", row.status ? `is-${row.status}` : "", editing ? "is-editing" : "", target ? "is-target" : ""].filter(Boolean).join(" ");
  const time = formatTime(row.sentAt);

  // The edit box took focus with it when it closed: give it to this message's "Edit message".
  useEffect(() => {
    if (wasEditing.current && !editing && focusIsLost()) editButton.current?.focus({ preventScroll: true });
    wasEditing.current = editing;
  }, [editing]);

  // The message is gone, and with it the button that had focus: the message box takes it.
  useEffect(() => {
    if (!row.deleted || !deleting.current) return;
    deleting.current = false;
    if (focusIsLost()) document.getElementById("composer")?.focus({ preventScroll: true });
  }, [row.deleted]);

  return (
    <li className={classes} aria-busy={onItsWay || undefined} data-message-id={row.messageId} tabIndex={target ? -1 : undefined}>
      {day && (
        <div className="day-divider">
          <span>{day}</span>
        </div>
      )}
      <div className="message-body">
        <div className="message-gutter">
          {grouped ? (
            <time className="gutter-time" dateTime={row.sentAt} title={formatFull(row.sentAt)}>
              {time}
            </time>
          ) : (
            <Avatar userId={row.userId} name={author} />
          )}
        </div>
        <div className="message-main">
          <div className={grouped ? "message-meta visually-hidden" : "message-meta"}>
            <span className="author">{author}</span>{" "}
            {bot && (
              <>
                <span className="app-badge" title="Posted by an app, not a person">
                  APP
                </span>{" "}
              </>
            )}
            {!grouped && (
              <time dateTime={row.sentAt} title={formatFull(row.sentAt)}>
                {time}
              </time>
            )}
          </div>
          {row.deleted ? (
            <p className="message-text is-deleted">This message was deleted</p>
          ) : editing ? (
            <EditBox initial={row.text} onCancel={onEndEdit} onSave={(text) => (onEndEdit(), store.writes.edit(channelId, row.messageId, text))} />
          ) : (
            <div className="message-text">
              <MessageText text={row.text} />
              {row.editedAt && <span className="edited"> (edited)</span>}
            </div>
          )}
          {row.reactions && !row.deleted && <ReactionBar reactions={row.reactions} canReact={reactable} onToggle={react} />}
          {onOpenThread && <ThreadSummary message={row} onOpen={onOpenThread} />}
          {onItsWay && <p className="message-status">{row.status === "waiting" ? "Waiting for connection" : row.change === "edit" ? "Saving…" : "Sending…"}</p>}
          {row.status === "failed" && (
            <p className="message-status is-error" role="alert">
              <span>
                {row.change === "edit" ? "Edit not saved" : row.change === "delete" ? "Not deleted" : "Not sent"}
                {row.error ? `: ${row.error}` : "."}
              </span>{" "}
              <button type="button" className="link" onClick={() => store.writes.retry(row.idempotencyKey!)}>
                Retry
              </button>{" "}
              <button type="button" className="link" onClick={() => store.writes.discard(row.idempotencyKey!)}>
                {row.change ? "Cancel" : "Discard"}
              </button>
            </p>
          )}
        </div>
        {(changeable || reactable || threadable) && !editing && (
          <div className="message-actions">
            {reactable && (
              <button type="button" className="icon-button" aria-label="Add reaction" title="Add reaction" aria-haspopup="dialog" onClick={() => setPicking(true)}>
                <Icon name="smile" size={16} />
              </button>
            )}
            {threadable && (
              <button type="button" className="icon-button" aria-label="Reply in thread" title="Reply in thread" onClick={() => onOpenThread(row.messageId)}>
                <Icon name="logo" size={16} />
              </button>
            )}
            {changeable && (
              <>
                <button type="button" ref={editButton} className="icon-button" aria-label="Edit message" title="Edit message" onClick={() => onStartEdit(row.messageId)}>
                  <Icon name="edit" size={16} />
                </button>
                <button type="button" className="icon-button danger" aria-label="Delete message" title="Delete message" aria-haspopup="dialog" onClick={() => setConfirming(true)}>
                  <Icon name="trash" size={16} />
                </button>
              </>
            )}
          </div>
        )}
      </div>
      {picking && (
        <EmojiPicker
          onClose={() => setPicking(false)}
          onPick={(emoji) => {
            setPicking(false);
            if (!row.reactions?.some((r) => r.emoji === emoji && r.userIds.includes(store.getState().me.userId))) react(emoji, true);
          }}
        />
      )}
      {confirming && (
        <ConfirmDialog
          title="Delete message"
          confirmLabel="Delete"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            deleting.current = true;
            setConfirming(false);
            store.writes.remove(channelId, row.messageId);
          }}
        >
          Are you sure you want to delete this message? This cannot be undone.
        </ConfirmDialog>
      )}
    </li>
  );
});

const focusIsLost = () => document.activeElement === null || document.activeElement === document.body;

function EditBox({ initial, onSave, onCancel }: { initial: string; onSave(text: string): void; onCancel(): void }): ReactElement {
  const [text, setText] = useState(initial);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const save = () => (text.trim() && text.trim() !== initial ? onSave(text) : onCancel());
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    }
  };
  return (
    <form
      className="edit-box"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <textarea ref={box} aria-label="Edit message" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} rows={Math.min(8, text.split("\n").length + 1)} />
      <div className="edit-actions">
        <span className="hint">Escape to cancel · Enter to save</span>
        <button type="button" className="secondary small" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary small">
          Save
        </button>
      </div>
    </form>
  );
}
