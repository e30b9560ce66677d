/** The query language in one line (CONTRACT §12), so the filters can be found without a manual. */
import type { ReactElement } from "react";

const filters = ["from:name", "in:channel", "before:YYYY-MM-DD", "after:YYYY-MM-DD", "on:YYYY-MM-DD", "has:link", "is:thread", '"exact phrase"', "-word"];

export function FilterHint({ id, className = "search-hint" }: { id?: string; className?: string }): ReactElement {
  return (
    <p id={id} className={className}>
      Words match whole or by their start (<code>depl</code> finds deployment). Filters:{" "}
      {filters.map((f, i) => (
        <span key={f}>
          {i > 0 && " "}
          <code>{f}</code>
        </span>
      ))}
    </p>
  );
}
