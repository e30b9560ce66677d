/**
 * Search's matched words in a text, to highlight in its results: a word of the text matches
 * when its normalized form starts with a word of the query (a Chinese or Japanese query word
 * also when it stands inside one), by the server's own parser and words
 * (functions/domain/search/, CONTRACT §12). A phrase's words are matched one by one; filters
 * (`from:ann`) and excluded words (`-draft`) are not the text's, so never highlighted.
 */
import { parseQuery } from "../../../functions/domain/search/query";
import { isCjk, words } from "../../../functions/domain/search/words";

export type MarkedPart = { text: string; hit: boolean };

const segmenter = new Intl.Segmenter("en", { granularity: "word" });

/** The normalized words of a query to highlight: its words and its phrases' words (none for a query the server would refuse). */
export function highlightWords(query: string): string[] {
  const parsed = parseQuery(query);
  return parsed.ok ? [...new Set(parsed.query.required.flat())] : [];
}

/** `text` cut into runs, those that are words matching one of `query` (normalized, from `highlightWords`) marked. */
export function markMatches(text: string, query: readonly string[]): MarkedPart[] {
  if (query.length === 0) return [{ text, hit: false }];
  const parts: MarkedPart[] = [];
  let plain = "";
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (isWordLike && words(segment).some((word) => query.some((q) => word.startsWith(q) || (isCjk(q) && word.includes(q))))) {
      if (plain) parts.push({ text: plain, hit: false });
      plain = "";
      parts.push({ text: segment, hit: true });
    } else plain += segment;
  }
  if (plain || parts.length === 0) parts.push({ text: plain, hit: false });
  return parts;
}
