/**
 * A searchable people picker (the ARIA combobox pattern): a textbox with role "combobox"
 * whose listbox offers the people whose names match what is typed. Arrows move through the
 * options, Enter or a click chooses, Escape closes the list (and a second Escape is left
 * to the dialog around it). With `textbox`, the input keeps its own role (a textbox that
 * controls the list) where a screen names it so (CONTRACT §8: "People").
 */
import { type KeyboardEvent, type ReactElement, useId, useMemo, useState } from "react";
import { matchPeople, type Person } from "../compose/mentionComplete";
import { PersonOption } from "./PersonOption";

export interface PeoplePickerProps {
  label: string;
  people: readonly Person[];
  /** The chosen person, or undefined while the text names nobody chosen. */
  onChoose(person: Person | undefined): void;
  textbox?: boolean;
}

export function PeoplePicker({ label, people, onChoose, textbox = false }: PeoplePickerProps): ReactElement {
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const ids = useId();
  const matches = useMemo(() => matchPeople(people, text.trim(), 50), [people, text]);
  const expanded = open && matches.length > 0;
  const current = Math.min(active, matches.length - 1);

  const choose = (person: Person) => {
    setText(person.name);
    setOpen(false);
    onChoose(person);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    if (step) {
      event.preventDefault();
      if (!expanded) return setOpen(true);
      setActive((current + step + matches.length) % matches.length);
    } else if (event.key === "Enter" && expanded) {
      event.preventDefault();
      choose(matches[current]!);
    } else if (event.key === "Escape" && expanded) {
      event.preventDefault();
      event.stopPropagation(); // the list closes, not the dialog
      setOpen(false);
    }
  };

  return (
    <div className="picker">
      <label htmlFor={`${ids}-input`}>{label}</label>
      <input
        id={`${ids}-input`}
        type="text"
        role={textbox ? undefined : "combobox"}
        aria-expanded={textbox ? undefined : expanded}
        aria-controls={`${ids}-list`}
        aria-autocomplete="list"
        aria-activedescendant={expanded ? `${ids}-${current}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder="Type a name"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
          onChoose(undefined);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onClick={() => setOpen(true)}
        onKeyDown={onKeyDown}
      />
      <ul className="picker-list" role="listbox" id={`${ids}-list`} aria-label={label} hidden={!expanded}>
        {expanded &&
          matches.map((p, i) => (
            <PersonOption key={p.userId} id={`${ids}-${i}`} person={p} active={i === current} onActivate={() => setActive(i)} onChoose={choose} />
          ))}
      </ul>
      {open && text.trim() && matches.length === 0 && <p className="hint">Nobody else matches “{text.trim()}”.</p>}
    </div>
  );
}
