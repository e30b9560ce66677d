/**
 * Which link targets may become an `href`, and where a bare URL in text ends. Only http,
 * https and mailto: a `javascript:`, `data:` or `vbscript:` target (in any case, or behind
 * spaces or control characters the browser would strip) stays text.
 */

// The scheme must open the target: a browser's URL parser drops leading spaces and control
// characters and removes tabs and newlines anywhere, so none of them may appear at all.
const safeTarget = /^(?:https?:\/\/[^\s/?#\\]|mailto:\S)[^\s\u0000-\u001f\u007f<>"]*$/i;

/** The href for a `<target|label>` link, or undefined when it must not be one. */
export function safeHref(target: string): string | undefined {
  return safeTarget.test(target) ? target : undefined;
}

/** What a link without a label shows: the address (an email without `mailto:`). */
export const linkText = (href: string) => (/^mailto:/i.test(href) ? href.slice("mailto:".length) : href);

const urlStart = /^https?:\/\//i;
const urlChar = /[^\s\u0000-\u001f\u007f<>"`|]/;
const trailing = /[.,;:!?'"*_~]/;

/**
 * The end of a bare `http(s)://` URL starting at `start` (not after a letter or digit), or
 * -1. Trailing punctuation is the sentence's, not the URL's; a `)` is the URL's only when it
 * closes a `(` inside it (`…/wiki/Foo_(bar)`).
 */
export function bareUrlEnd(text: string, start: number): number {
  if (start > 0 && /[\p{L}\p{N}]/u.test(text[start - 1]!)) return -1;
  const head = text.slice(start, start + 8);
  if (!urlStart.test(head)) return -1;
  const hostStart = start + (head[4] === ":" ? 7 : 8);
  let end = hostStart;
  let open = 0;
  let close = 0;
  for (; end < text.length && urlChar.test(text[end]!); end++) {
    if (text[end] === "(") open++;
    else if (text[end] === ")") close++;
  }
  while (end > hostStart) {
    const last = text[end - 1]!;
    if (trailing.test(last)) end--;
    else if (last === ")" && close > open) {
      end--;
      close--;
    } else break;
  }
  return end > hostStart && safeHref(text.slice(start, end)) ? end : -1;
}
