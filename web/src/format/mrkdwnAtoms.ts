/**
 * The parts of a line of mrkdwn that nothing else looks inside: `code`, `<target|label>`
 * links and bare URLs, found left to right. A `<…>` whose target is not http(s) or mailto
 * is text, as is every `<` and `>` that does not make a link.
 */
import { bareUrlEnd, linkText, safeHref } from "./linkTarget";
import type { Inline } from "./mrkdwn";

export interface Atom {
  start: number;
  end: number;
  node: Inline;
}

/** In order of `start`; `parseLabel` gives a link's label its formatting, or undefined for no links at all. */
export function findAtoms(text: string, parseLabel: ((label: string) => Inline[]) | undefined): Atom[] {
  const atoms: Atom[] = [];
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    const atom = c === "`" ? codeSpan(text, i) : !parseLabel ? undefined : c === "<" ? angleLink(text, i, parseLabel) : c === "h" || c === "H" ? bareLink(text, i) : undefined;
    if (atom) {
      atoms.push(atom);
      i = atom.end;
    } else i += c === "`" ? backtickRun(text, i) : 1;
  }
  return atoms;
}

const backtickRun = (text: string, i: number) => {
  let j = i;
  while (text[j] === "`") j++;
  return j - i;
};

/** `code` on one line; a run of three or more backticks closes only at another such run (``` inside a list item). */
function codeSpan(text: string, start: number): Atom | undefined {
  const run = backtickRun(text, start);
  if (run === 2) return undefined;
  const close = text.indexOf(run === 1 ? "`" : "```", start + run);
  if (close < 0) return undefined;
  const body = text.slice(start + run, close);
  if (body.includes("\n")) return undefined;
  return { start, end: close + (run === 1 ? 1 : backtickRun(text, close)), node: { kind: "code", text: body } };
}

/** `<target>` or `<target|label>`, with no `<`, `>` or line break inside. */
function angleLink(text: string, start: number, parseLabel: (label: string) => Inline[]): Atom | undefined {
  let j = start + 1;
  while (j < text.length && text[j] !== "<" && text[j] !== ">" && text[j] !== "\n") j++;
  if (text[j] !== ">") return undefined;
  const inside = text.slice(start + 1, j);
  const bar = inside.indexOf("|");
  const href = safeHref(bar < 0 ? inside : inside.slice(0, bar));
  if (!href) return undefined;
  const label = bar < 0 ? "" : inside.slice(bar + 1);
  return { start, end: j + 1, node: { kind: "link", href, children: label ? parseLabel(label) : [{ kind: "text", text: linkText(href) }] } };
}

function bareLink(text: string, start: number): Atom | undefined {
  const end = bareUrlEnd(text, start);
  if (end < 0) return undefined;
  const href = text.slice(start, end);
  return { start, end, node: { kind: "link", href, children: [{ kind: "text", text: href }] } };
}
