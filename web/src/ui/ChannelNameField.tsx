/** The "Name" field of a channel: `#` before it, slugged as it is typed ("My Channel" → my-channel), its rule or problem below. */
import type { ReactElement } from "react";
import { maxNameLength, slugChannelName } from "../channelName";

export interface ChannelNameFieldProps {
  id: string;
  value: string;
  /** Shown instead of the rule when set. */
  problem: string | undefined;
  placeholder?: string;
  onChange(name: string, typed: string): void;
}

export function ChannelNameField({ id, value, problem, placeholder, onChange }: ChannelNameFieldProps): ReactElement {
  return (
    <>
      <label htmlFor={id}>Name</label>
      <div className={`input-prefix${problem ? " is-invalid" : ""}`}>
        <span aria-hidden="true">#</span>
        <input
          id={id}
          value={value}
          onChange={(e) => onChange(slugChannelName(e.target.value), e.target.value)}
          maxLength={maxNameLength + 20}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-help`}
        />
      </div>
      <p id={`${id}-help`} className={problem ? "field-error" : "hint"}>
        {problem ?? "Lowercase letters, digits, hyphens and underscores."}
      </p>
    </>
  );
}
