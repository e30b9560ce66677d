/**
 * Completing a search's `from:` and `in:` filters as they are typed (pure): the filter the
 * caret is in, the channels a name matches, and the query with the chosen value put in. A
 * person is put in as a mention names them, their name without spaces (`from:AnnLee`): a
 * query's filter value has no spaces (CONTRACT §12).
 */
import { mentionOf } from "./mentionComplete";

export interface FilterAtCaret {
  kind: "from" | "in";
  /** Where the value starts (after `from:`, and an `@` or `#` typed there). */
  start: number;
  /** Where the value ends: the end of the word the caret is in. */
  end: number;
  /** The value as typed so far, up to the caret. */
  value: string;
}

/** The `from:…` or `in:…` the caret is in, if any (a filter starts the query or follows a space). */
export function filterAt(text: string, caret: number): FilterAtCaret | undefined {
  const match = /(^|\s)(from|in):([@#]?)([^\s"]*)$/i.exec(text.slice(0, caret));
  if (!match) return undefined;
  const value = match[4] ?? "";
  const rest = /^\S*/.exec(text.slice(caret))?.[0] ?? "";
  return { kind: match[2]!.toLowerCase() as "from" | "in", start: caret - value.length, end: caret + rest.length, value };
}

export interface NamedChannel {
  channelId: string;
  name: string;
}

/** Channels whose name starts with `query`, then those with a later part (after `-` or `_`) that does; by name within each. */
export function matchChannels(channels: Iterable<NamedChannel>, query: string, limit = 8): NamedChannel[] {
  const q = query.toLowerCase();
  const rank = (c: NamedChannel) => (c.name.startsWith(q) ? 0 : c.name.split(/[-_]/).some((part) => part.startsWith(q)) ? 1 : -1);
  return [...channels]
    .map((c) => ({ c, r: rank(c) }))
    .filter(({ c, r }) => r >= 0 && c.name !== "")
    .sort((a, b) => a.r - b.r || a.c.name.localeCompare(b.c.name))
    .slice(0, limit)
    .map(({ c }) => c);
}

/** How a filter names a person: their name without spaces. */
export const personValue = (name: string) => mentionOf(name).slice(1);

/** The query with the filter's value replaced by `value` and a space after it; and where the caret goes. */
export function completeFilter(text: string, at: FilterAtCaret, value: string): { text: string; caret: number } {
  const rest = text.slice(at.end);
  const inserted = `${value}${rest.startsWith(" ") ? "" : " "}`;
  return { text: text.slice(0, at.start) + inserted + rest, caret: at.start + inserted.length + (rest.startsWith(" ") ? 1 : 0) };
}
