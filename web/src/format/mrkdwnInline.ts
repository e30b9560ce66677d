/**
 * Inline mrkdwn: code spans, links and bare URLs first (mrkdwnAtoms.ts: nothing inside them
 * is parsed, no marker inside them counts), then `*bold*`, `_italic_` and `~strike~` by
 * Slack's word rules: a marker opens where no letter or digit stands before it and no space
 * (nor the same marker) after it, and closes at the first same marker on that line with no
 * space before it and no letter or digit after it (`a*b*c`, `snake_case_name` and `2*3*4`
 * stay text; an unclosed marker is text). The parse is one pass from left to right, and
 * each search for a closer or a line's end picks up where the last one stopped.
 */
import { type Atom, findAtoms } from "./mrkdwnAtoms";
import { forwardFinder } from "./forwardFinder";
import type { Inline } from "./mrkdwn";

type Emphasis = "bold" | "italic" | "strike";
const [star, underscore, tilde] = [42, 95, 126]; // * _ ~
const emphasis = (code: number): Emphasis | undefined => (code === star ? "bold" : code === underscore ? "italic" : code === tilde ? "strike" : undefined);

// Character codes, ASCII answered without a regular expression: they are asked about every
// character of texts of up to 40,000.
const isSpace = (code: number) => code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));
const isWordChar = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || (code > 127 && /[\p{L}\p{N}]/u.test(String.fromCharCode(code)));

/** `links: false` inside a link's label: no link within a link. */
export function parseInline(text: string, links = true): Inline[] {
  const atoms = findAtoms(text, links ? (label) => parseInline(label, false) : undefined);
  const lineEnd = forwardFinder(text, "\n");
  const closer = { bold: closerFinder(text, star, atoms), italic: closerFinder(text, underscore, atoms), strike: closerFinder(text, tilde, atoms) };
  let nextAtom = 0;

  const parseRange = (from: number, to: number): Inline[] => {
    const out: Inline[] = [];
    let textFrom = from;
    const flush = (upTo: number) => upTo > textFrom && out.push({ kind: "text", text: text.slice(textFrom, upTo) });
    for (let i = from; i < to; ) {
      const atom = atoms[nextAtom];
      if (atom?.start === i) {
        flush(i);
        out.push(atom.node);
        nextAtom++;
        i = textFrom = atom.end;
        continue;
      }
      const kind = emphasis(text.charCodeAt(i));
      if (kind && opens(text, i, to)) {
        const close = closer[kind](i + 2);
        if (close < to && close < lineEnd(i)) {
          flush(i);
          out.push({ kind, children: parseRange(i + 1, close) });
          i = textFrom = close + 1;
          continue;
        }
      }
      i++;
    }
    flush(to);
    return out;
  };
  return parseRange(0, text.length);
}

function opens(text: string, i: number, to: number): boolean {
  if (i + 1 >= to) return false;
  const next = text.charCodeAt(i + 1);
  return !isSpace(next) && next !== text.charCodeAt(i) && (i === 0 || !isWordChar(text.charCodeAt(i - 1)));
}

const closes = (text: string, j: number) => j > 0 && !isSpace(text.charCodeAt(j - 1)) && (j + 1 === text.length || !isWordChar(text.charCodeAt(j + 1)));

/** The first position from `from` on (asked in growing order) where `marker` can close, outside atoms; text.length if none. */
function closerFinder(text: string, marker: number, atoms: readonly Atom[]): (from: number) => number {
  let found = -1;
  let atom = 0;
  return (from) => {
    if (found >= from || found === text.length) return found;
    for (let j = from; j < text.length; j++) {
      while (atom < atoms.length && atoms[atom]!.end <= j) atom++;
      const inside = atoms[atom];
      if (inside && inside.start <= j) j = inside.end - 1;
      else if (text.charCodeAt(j) === marker && closes(text, j)) return (found = j);
    }
    return (found = text.length);
  };
}
