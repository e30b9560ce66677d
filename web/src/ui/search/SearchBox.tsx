/**
 * The searchbox "Search" in the header: Enter shows the query's results (`/search?q=…`). As
 * `from:` or `in:` is typed, the people or channels that match are offered as a listbox
 * (arrows move, Enter, Tab or a click completes the filter, Escape closes the list); with
 * none to offer, a hint lists the filters. The box keeps its own role, controlling the list,
 * as the people picker's does.
 */
import { type KeyboardEvent, type ReactElement, useEffect, useId, useMemo, useRef, useState } from "react";
import { completeFilter, filterAt, matchChannels, type NamedChannel, personValue } from "../../compose/filterComplete";
import { matchPeople } from "../../compose/mentionComplete";
import { searchPath } from "../../route";
import { navigate } from "../../router";
import { isDm } from "../../state/dms";
import { useChat, useStore } from "../context";
import { Icon } from "../icons";
import { PersonOption } from "../PersonOption";
import { FilterHint } from "./FilterHint";
import "./search.css";

type Suggestion = { key: string; value: string } & ({ person: { userId: string; name: string } } | { channel: NamedChannel });

export function SearchBox({ routeQuery }: { routeQuery: string | undefined }): ReactElement {
  const store = useStore();
  const [text, setText] = useState(routeQuery ?? "");
  const [caret, setCaret] = useState(0);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const box = useRef<HTMLInputElement>(null);
  const ids = useId();
  const suggestions = useSuggestions(text, caret);
  const expanded = open && suggestions.length > 0;
  const current = Math.min(active, suggestions.length - 1);

  // Back to the results of another query, or a reload of them: the box says which.
  useEffect(() => {
    if (routeQuery !== undefined) setText(routeQuery);
  }, [routeQuery]);

  const edit = (value: string, at: number) => {
    setText(value);
    setCaret(at);
    setActive(0);
    setOpen(true);
  };

  const choose = (s: Suggestion) => {
    const at = filterAt(text, caret);
    if (!at) return;
    const next = completeFilter(text, at, s.value);
    edit(next.text, next.caret);
    requestAnimationFrame(() => box.current?.setSelectionRange(next.caret, next.caret));
  };

  const submit = () => {
    const query = text.trim();
    if (!query) return;
    setOpen(false);
    store.search.run(query);
    navigate(searchPath(query));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    if (step && expanded) {
      event.preventDefault();
      setActive((current + step + suggestions.length) % suggestions.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && expanded && !event.nativeEvent.isComposing) {
      event.preventDefault();
      choose(suggestions[current]!);
    } else if (event.key === "Escape" && open) {
      event.preventDefault(); // the list closes; the text stays
      setOpen(false);
    } else if (event.key === "Enter" && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      role="search"
      className="search-box"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Icon name="search" size={16} />
      <input
        ref={box}
        type="search"
        aria-label="Search"
        aria-describedby={`${ids}-hint`}
        aria-controls={`${ids}-list`}
        aria-autocomplete="list"
        aria-activedescendant={expanded ? `${ids}-${current}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder="Search messages"
        value={text}
        onChange={(event) => edit(event.target.value, event.target.selectionStart ?? event.target.value.length)}
        onSelect={(event) => setCaret(event.currentTarget.selectionStart ?? 0)}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <ul className="picker-list search-suggestions" role="listbox" id={`${ids}-list`} aria-label={filterAt(text, caret)?.kind === "in" ? "Suggested channels" : "Suggested people"} hidden={!expanded}>
        {expanded &&
          suggestions.map((s, i) =>
            "person" in s ? (
              <PersonOption key={s.key} id={`${ids}-${i}`} person={s.person} active={i === current} onActivate={() => setActive(i)} onChoose={() => choose(s)} />
            ) : (
              <li
                key={s.key}
                id={`${ids}-${i}`}
                role="option"
                aria-selected={i === current}
                className={i === current ? "is-active" : undefined}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(s)}
              >
                <span aria-hidden="true">#</span>
                {s.channel.name}
              </li>
            ),
          )}
      </ul>
      <div className="search-popover" hidden={!open || expanded}>
        <FilterHint id={`${ids}-hint`} />
      </div>
    </form>
  );
}

/** What the filter at the caret may be completed with: people for `from:`, channels (ours and the directory's) for `in:`. */
function useSuggestions(text: string, caret: number): Suggestion[] {
  const users = useChat((s) => s.users);
  const directory = useChat((s) => s.directory);
  const timelines = useChat((s) => s.timelines);
  const at = filterAt(text, caret);
  const kind = at?.kind;
  const value = at?.value ?? "";
  return useMemo(() => {
    if (kind === "from") {
      const people = [...users].map(([userId, name]) => ({ userId, name }));
      return matchPeople(people, value).map((person) => ({ key: person.userId, value: personValue(person.name), person }));
    }
    if (kind !== "in") return [];
    const channels = new Map<string, NamedChannel>();
    for (const c of directory ?? []) channels.set(c.channelId, c);
    for (const [channelId, t] of timelines) if (t.head && !isDm(t.head)) channels.set(channelId, { channelId, name: t.head.name });
    return matchChannels(channels.values(), value).map((channel) => ({ key: channel.channelId, value: channel.name, channel }));
  }, [kind, value, users, directory, timelines]);
}
