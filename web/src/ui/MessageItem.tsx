/**
 * One message: author, time, text, "(edited)", or "This message was deleted". Our own
 * messages offer "Edit message" and "Delete message"; one still on its way shows "Sending…"
 * or "Waiting for connection" (it goes by itself), or, refused by the server, "Not sent"
 * with Retry (same Idempotency-Key) and Discard. A refused edit keeps its text, with Retry
 * and Cancel (back to the stored text); so does a refused deletion.
 */
import { type KeyboardEvent, memo, type ReactElement, useEffect, useRef, useState } from "react";
import type { MessageRow } from "../state/outbox";
import { Avatar } from "./Avatar";
import { useStore } from "./context";
import { formatFull, formatTime } from "./format";
import { Icon } from "./icons";

export interface MessageItemProps {
  channelId: string;
  row: MessageRow;
  author: string;
  mine: boolean;
  canChange: boolean;
  grouped: boolean;
  /** The day heading to show above this message (first message of a day). */
  day: string | undefined;
}

export const MessageItem = memo(function MessageItem({ channelId, row, author, canChange, grouped, day }: MessageItemProps): ReactElement {
  const store = useStore();
  const [editing, setEditing] = useState(false);
  const onItsWay = row.status === "sending" || row.status === "waiting";
  const unsent = !row.change && (onItsWay || row.status === "failed");
  const changeable = canChange && !row.deleted && !unsent;
  const classes = ["message", grouped ? "is-grouped" : "", row.status ? `is-${row.status}` : "", editing ? "is-editing" : ""].filter(Boolean).join(" ");
  const time = formatTime(row.sentAt);

  return (
    <li className={classes} aria-busy={onItsWay || undefined}>
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
            {!grouped && (
              <time dateTime={row.sentAt} title={formatFull(row.sentAt)}>
                {time}
              </time>
            )}
          </div>
          {row.deleted ? (
            <p className="message-text is-deleted">This message was deleted</p>
          ) : editing ? (
            <EditBox initial={row.text} onCancel={() => setEditing(false)} onSave={(text) => (setEditing(false), store.writes.edit(channelId, row.messageId, text))} />
          ) : (
            <p className="message-text">
              {row.text}
              {row.editedAt && <span className="edited"> (edited)</span>}
            </p>
          )}
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
        {changeable && !editing && (
          <div className="message-actions">
            <button type="button" className="icon-button" aria-label="Edit message" title="Edit message" onClick={() => setEditing(true)}>
              <Icon name="edit" size={16} />
            </button>
            <button type="button" className="icon-button danger" aria-label="Delete message" title="Delete message" onClick={() => store.writes.remove(channelId, row.messageId)}>
              <Icon name="trash" size={16} />
            </button>
          </div>
        )}
      </div>
    </li>
  );
});

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
