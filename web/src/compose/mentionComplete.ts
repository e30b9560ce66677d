/**
 * `@` autocomplete in the message box (pure): the word being typed after an `@`, the people
 * it matches, and the text with the chosen person's mention put in. A mention names a user
 * by their display name without spaces (CONTRACT §5), which is what is inserted.
 */
export interface Person {
  userId: string;
  name: string;
}

export interface MentionQuery {
  /** Where the `@` is. */
  start: number;
  /** What follows it up to the caret, as typed. */
  query: string;
}

/** The `@word` the caret is at the end of, if any: the `@` starts the text or follows a space or an opening bracket. */
export function mentionQueryAt(text: string, caret: number): MentionQuery | undefined {
  const match = /(^|[\s(])@([\p{L}\p{N}_.-]*)$/u.exec(text.slice(0, caret));
  if (!match) return undefined;
  const query = match[2] ?? "";
  return { start: caret - query.length - 1, query };
}

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, "");

/**
 * The people a query matches, best first: those whose whole name (without spaces) starts
 * with it, then those with a later word that does; by name within each. An empty query
 * matches everyone.
 */
export function matchPeople(people: Iterable<Person>, query: string, limit = 8): Person[] {
  const q = squash(query);
  const rank = (p: Person) => {
    if (squash(p.name).startsWith(q)) return 0;
    return p.name.toLowerCase().split(/\s+/).some((word) => word.startsWith(q)) ? 1 : -1;
  };
  return [...people]
    .map((p) => ({ p, r: rank(p) }))
    .filter(({ p, r }) => r >= 0 && p.name.trim() !== "")
    .sort((a, b) => a.r - b.r || a.p.name.localeCompare(b.p.name))
    .slice(0, limit)
    .map(({ p }) => p);
}

/** How a message names this person: `@` and the name without spaces. */
export const mentionOf = (name: string) => `@${name.replace(/\s+/g, "")}`;

/** The text with `@query` (from `at.start` to the caret) replaced by the person's mention and a space; and where the caret goes. */
export function insertMention(text: string, at: MentionQuery, name: string): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const rest = text.slice(end);
  const inserted = `${mentionOf(name)}${rest.startsWith(" ") ? "" : " "}`;
  return { text: text.slice(0, at.start) + inserted + rest, caret: at.start + inserted.length + (rest.startsWith(" ") ? 1 : 0) };
}
