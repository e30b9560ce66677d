/**
 * The message box: Enter sends, Shift+Enter starts a new line; it grows with its text.
 * Typing `@` and the start of a name offers matching people (a listbox; arrows move, Enter,
 * Tab or a click inserts the mention, Escape closes it). What is typed and not sent is kept
 * per channel, also across reloads. Up in an empty box edits one's last message. Near the
 * 40,000-character limit a counter shows what is left, and a longer text is not sent.
 */
import { type FormEvent, type KeyboardEvent, type ReactElement, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { loadDraft, saveDraft } from "../compose/drafts";
import { insertMention, matchPeople, type MentionQuery, mentionQueryAt, type Person } from "../compose/mentionComplete";
import { lengthNote, tooLong } from "../compose/messageLength";
import { PersonOption } from "./PersonOption";
import { useChat, useStore } from "./context";
import { Icon } from "./icons";

export interface ComposerProps {
  channelId: string;
  channelName: string;
  /** What the empty box says; "Message #<channelName>" by default. */
  placeholder?: string;
  /** Up in an empty box: edit one's last message; false when there is none. */
  onEditLast(): boolean;
}

export function Composer({ channelId, channelName, placeholder, onEditLast }: ComposerProps): ReactElement {
  const store = useStore();
  const me = useChat((s) => s.me);
  const users = useChat((s) => s.users);
  const [text, setText] = useState(() => loadDraft(localStorage, me.userId, channelId));
  const [refusal, setRefusal] = useState<string>();
  const box = useRef<HTMLTextAreaElement>(null);
  const ids = useId();

  const people = useMemo<Person[]>(() => [...users].filter(([id]) => id !== me.userId).map(([userId, name]) => ({ userId, name })), [users, me.userId]);
  const mention = useMentionPicker(people, text, setText, box);

  useEffect(() => {
    box.current?.focus({ preventScroll: true });
  }, [channelId]);

  // Someone may have signed up since the names were read: read them again as an @ starts.
  useEffect(() => {
    if (mention.asking) void store.readUsers();
  }, [mention.asking, store]);

  useEffect(() => saveDraft(localStorage, me.userId, channelId, text), [me.userId, channelId, text]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [text]);

  const send = () => {
    if (!text.trim()) return;
    const problem = tooLong(text);
    if (problem) return setRefusal(problem);
    store.writes.send(channelId, text);
    setText("");
    setRefusal(undefined);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing || mention.onKeyDown(event)) return;
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      send();
    } else if (event.key === "ArrowUp" && text === "" && onEditLast()) {
      event.preventDefault();
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
    box.current?.focus();
  };

  const length = lengthNote(text);
  const describedBy = [length && `${ids}-count`, refusal && `${ids}-refusal`].filter(Boolean).join(" ") || undefined;
  return (
    <form className="composer" onSubmit={onSubmit}>
      {mention.listbox}
      <div className="composer-box">
        <textarea
          id="composer"
          ref={box}
          aria-label="Message"
          placeholder={placeholder ?? `Message #${channelName}`}
          rows={1}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            mention.onCaret();
            if (refusal && !tooLong(e.target.value)) setRefusal(undefined);
          }}
          onKeyDown={onKeyDown}
          onSelect={mention.onCaret}
          aria-describedby={describedBy}
          {...mention.inputProps}
        />
        <button type="submit" className="send-button" aria-label="Send" title="Send (Enter)" disabled={!text.trim()}>
          <Icon name="send" size={18} />
        </button>
      </div>
      {refusal && (
        <p className="form-error composer-refusal" role="alert" id={`${ids}-refusal`}>
          {refusal}
        </p>
      )}
      <div className="composer-footer">
        {length && (
          <p id={`${ids}-count`} className={`composer-count${length.left < 0 ? " is-over" : ""}`}>
            {length.note}
          </p>
        )}
        <p className="composer-hint" aria-hidden="true">
          <kbd>Enter</kbd> to send · <kbd>Shift</kbd> + <kbd>Enter</kbd> for a new line · <kbd>@</kbd> to mention someone
        </p>
      </div>
    </form>
  );
}

/** The `@` picker's state, its listbox, the textbox's ARIA attributes and its keys. */
function useMentionPicker(people: Person[], text: string, setText: (text: string) => void, box: React.RefObject<HTMLTextAreaElement | null>) {
  const [query, setQuery] = useState<MentionQuery>();
  const [dismissedAt, setDismissedAt] = useState<number>();
  const [active, setActive] = useState(0);
  const caretAfter = useRef<number>(undefined);
  const listId = useId();

  const open = query !== undefined && query.start !== dismissedAt;
  const matches = useMemo(() => (open ? matchPeople(people, query.query) : []), [open, people, query]);
  const shown = matches.length > 0;
  const current = Math.min(active, matches.length - 1);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && caretAfter.current !== undefined) el.setSelectionRange(caretAfter.current, caretAfter.current);
    caretAfter.current = undefined;
  }, [text, box]);

  const onCaret = () => {
    const el = box.current;
    if (!el) return;
    const next = el.selectionStart === el.selectionEnd ? mentionQueryAt(el.value, el.selectionStart) : undefined;
    if (next?.start !== query?.start || next?.query !== query?.query) setActive(0);
    setQuery(next);
    if (next?.start !== dismissedAt) setDismissedAt(undefined);
  };

  const choose = (person: Person) => {
    if (!query) return;
    const inserted = insertMention(text, query, person.name);
    caretAfter.current = inserted.caret;
    setText(inserted.text);
    setQuery(undefined);
    box.current?.focus();
  };

  /** Handles the key when the list is open; true when it did. */
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!shown) return false;
    const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    if (step) setActive((current + step + matches.length) % matches.length);
    else if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") choose(matches[current]!);
    else if (event.key === "Escape") setDismissedAt(query?.start);
    else return false;
    event.preventDefault();
    return true;
  };

  const optionId = (i: number) => `${listId}-${i}`;
  const listbox = shown && (
    <ul className="mention-suggestions" role="listbox" id={listId} aria-label="People">
      {matches.map((p, i) => (
        <PersonOption key={p.userId} id={optionId(i)} person={p} active={i === current} onActivate={() => setActive(i)} onChoose={choose} />
      ))}
    </ul>
  );
  const inputProps = { "aria-autocomplete": "list" as const, "aria-controls": shown ? listId : undefined, "aria-activedescendant": shown ? optionId(current) : undefined };
  return { listbox, inputProps, onKeyDown, onCaret, asking: open };
}
