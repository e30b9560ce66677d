/** One person offered in a listbox (the composer's @ suggestions, the people picker): chosen by click, highlighted by pointer or keys. */
import type { ReactElement } from "react";
import type { Person } from "../compose/mentionComplete";
import { Avatar } from "./Avatar";

export interface PersonOptionProps {
  id: string;
  person: Person;
  active: boolean;
  onActivate(): void;
  onChoose(person: Person): void;
}

export function PersonOption({ id, person, active, onActivate, onChoose }: PersonOptionProps): ReactElement {
  return (
    <li
      id={id}
      role="option"
      aria-selected={active}
      className={active ? "is-active" : undefined}
      // Keeps focus in the textbox that offers the options.
      onMouseDown={(e) => e.preventDefault()}
      onMouseEnter={onActivate}
      onClick={() => onChoose(person)}
    >
      <Avatar userId={person.userId} name={person.name} size={20} />
      {person.name}
    </li>
  );
}
