/**
 * The query language of CONTRACT §12: words (whole or as a word's beginning), `"phrases"`,
 * `-excluded` words or phrases, and the filters `from:`, `in:`, `before:`, `after:`, `on:`,
 * `has:link`, `is:thread`. A word like `re:deploy` whose prefix is no filter is a word.
 */
import { words } from "./words";

export interface SearchQuery {
  /** Each must be found: a word as its normalized sub-words (`deploy-ment` → deploy, ment), a phrase as its words. */
  required: string[][];
  /** None may be found. */
  excluded: string[][];
  /** Names as typed (without `@`), resolved against the users directory. */
  from: string[];
  /** Channel names as typed (without `#`). */
  in: string[];
  /** UTC days, `YYYY-MM-DD`: before and after are exclusive, as Slack's are. */
  before?: string;
  after?: string;
  on?: string;
  hasLink: boolean;
  isThread: boolean;
}

export type ParsedQuery = { ok: true; query: SearchQuery } | { ok: false; message: string };

export const maxQueryLength = 500;
const maxTerms = 32;
const maxFilters = 16;
const filterNames = ["from", "in", "before", "after", "on", "has", "is"] as const;
type FilterName = (typeof filterNames)[number];
const pieces = /(-?)"([^"]*)"?|(\S+)/g;

export function parseQuery(raw: string): ParsedQuery {
  if ([...raw].length > maxQueryLength) return { ok: false, message: `A query is at most ${maxQueryLength} characters.` };
  const query: SearchQuery = { required: [], excluded: [], from: [], in: [], hasLink: false, isThread: false };
  for (const [, minus, quoted, bare] of raw.matchAll(pieces)) {
    if (quoted !== undefined) {
      addTerm(minus ? query.excluded : query.required, quoted);
      continue;
    }
    const piece = bare ?? "";
    const colon = piece.indexOf(":");
    const name = piece.slice(0, colon).toLowerCase();
    if (colon > 0 && (filterNames as readonly string[]).includes(name)) {
      const problem = addFilter(query, name as FilterName, piece.slice(colon + 1));
      if (problem) return { ok: false, message: problem };
    } else if (piece.startsWith("-") && piece.length > 1) addTerm(query.excluded, piece.slice(1));
    else addTerm(query.required, piece);
  }
  if (query.required.length + query.excluded.length > maxTerms) return { ok: false, message: `A query holds at most ${maxTerms} words and phrases.` };
  // Each from: is compared with every user and each in: with every channel the caller may read.
  if (query.from.length + query.in.length > maxFilters) return { ok: false, message: `A query holds at most ${maxFilters} from: and in: filters.` };
  return { ok: true, query };
}

function addTerm(terms: string[][], text: string): void {
  const found = words(text);
  if (found.length > 0) terms.push(found);
}

const day = /^(\d{4})-(\d{2})-(\d{2})$/;

function addFilter(query: SearchQuery, name: FilterName, value: string): string | undefined {
  switch (name) {
    case "from": {
      const person = value.replace(/^@/, "");
      if (!person) return "from: needs a person's name, e.g. from:ann.";
      query.from.push(person);
      return undefined;
    }
    case "in": {
      const channel = value.replace(/^#/, "");
      if (!channel) return "in: needs a channel's name, e.g. in:general.";
      query.in.push(channel);
      return undefined;
    }
    case "before":
    case "after":
    case "on":
      if (!isDay(value)) return `${name}: needs a date as YYYY-MM-DD, e.g. ${name}:2026-11-30; “${value}” is not one.`;
      query[name] = value;
      return undefined;
    case "has":
      if (value.toLowerCase() !== "link") return `has: takes only has:link; “${value}” is not known.`;
      query.hasLink = true;
      return undefined;
    case "is":
      if (value.toLowerCase() !== "thread") return `is: takes only is:thread; “${value}” is not known.`;
      query.isThread = true;
      return undefined;
  }
}

function isDay(value: string): boolean {
  const parts = day.exec(value);
  if (!parts) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
