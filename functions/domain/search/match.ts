/**
 * Whether a message answers a query (CONTRACT §12). A term of one word matches a word of
 * the message it begins; a term of several words (a phrase, or a word the segmenter
 * splits) matches where they stand together, the last one as a beginning. A Chinese or
 * Japanese term also matches inside the text, wherever the segmenter cut it: a reader
 * searching 京都 expects 東京都庁 not to hide it.
 */
import type { SearchQuery } from "./query";
import { isCjk, normalize } from "./words";

export interface Findable {
  /** The text's normalized words, in order (words.ts). */
  words: readonly string[];
  text: string;
  userId: string;
  threadId?: string;
  sentAt: string;
  /** normalize(text), once it was needed. */
  normalized?: string;
}

export interface Resolved {
  query: SearchQuery;
  /** The users `from:` names, if it was given. */
  fromIds?: ReadonlySet<string>;
}

export function matches(message: Findable, { query, fromIds }: Resolved): boolean {
  if (fromIds && !fromIds.has(message.userId)) return false;
  if (query.isThread && message.threadId === undefined) return false;
  const day = message.sentAt.slice(0, 10);
  if ((query.on && day !== query.on) || (query.before && day >= query.before) || (query.after && day <= query.after)) return false;
  if (query.hasLink && !hasLink(message.text)) return false;
  return query.required.every((term) => found(message, term)) && !query.excluded.some((term) => found(message, term));
}

export const hasLink = (text: string) => /(?:https?:\/\/|mailto:)\S/i.test(text);

function found(message: Findable, term: readonly string[]): boolean {
  if (standsTogether(message.words, term)) return true;
  if (!term.some(isCjk)) return false;
  message.normalized ??= normalize(message.text);
  return message.normalized.includes(term.join(""));
}

/**
 * Whether `term`'s words stand together in `words`, the last as a beginning. Linear in the
 * message whatever both hold (Knuth–Morris–Pratt over the words before the last): a naive
 * scan costs words × term on a message and a phrase of repeated words, both anyone can write.
 */
function standsTogether(words: readonly string[], term: readonly string[]): boolean {
  const last = term.length - 1;
  const tail = term[last] as string;
  if (last === 0) return words.some((w) => w.startsWith(tail));
  const fallback = new Array<number>(last).fill(0);
  for (let i = 1, k = 0; i < last; i++) {
    while (k > 0 && term[i] !== term[k]) k = fallback[k - 1] as number;
    if (term[i] === term[k]) k++;
    fallback[i] = k;
  }
  for (let i = 0, k = 0; i + 1 < words.length; i++) {
    while (k > 0 && words[i] !== term[k]) k = fallback[k - 1] as number;
    if (words[i] === term[k]) k++;
    if (k === last) {
      if ((words[i + 1] as string).startsWith(tail)) return true;
      k = fallback[k - 1] as number;
    }
  }
  return false;
}
