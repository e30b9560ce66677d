/**
 * Search's matched words in a text, to highlight in its results: a word of the text matches
 * when its normalized form starts with a word of the query, by the server's own rule and
 * words (functions/domain/search/words.ts, CONTRACT §12). A phrase's words are matched one by
 * one; filters (`from:ann`) and excluded words (`-draft`) are not the text's, so never highlighted.
 */
import { words } from "../../../functions/domain/search/words";

export type MarkedPart = { text: string; hit: boolean };

const segmenter = new Intl.Segmenter("en", { granularity: "word" });
const pieces = /(-?)"([^"]*)"?|(\S+)/g;
const filter = /^(from|in|before|after|on|has|is):/i;

/** The normalized words of a query to highlight: its words and its phrases' words. */
export function highlightWords(query: string): string[] {
  const found = new Set<string>();
  for (const [, minus, quoted, bare] of query.matchAll(pieces)) {
    const term = quoted ?? bare ?? "";
    if (minus || (quoted === undefined && (filter.test(term) || (term.startsWith("-") && term.length > 1)))) continue;
    for (const word of words(term)) found.add(word);
  }
  return [...found];
}

/** `text` cut into runs, those that are words matching one of `query` (normalized, from `highlightWords`) marked. */
export function markMatches(text: string, query: readonly string[]): MarkedPart[] {
  if (query.length === 0) return [{ text, hit: false }];
  const parts: MarkedPart[] = [];
  let plain = "";
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (isWordLike && words(segment).some((word) => query.some((q) => word.startsWith(q)))) {
      if (plain) parts.push({ text: plain, hit: false });
      plain = "";
      parts.push({ text: segment, hit: true });
    } else plain += segment;
  }
  if (plain || parts.length === 0) parts.push({ text: plain, hit: false });
  return parts;
}
