/**
 * Slack's mrkdwn as a tree (CONTRACT §8 "Formatting"): blocks (``` code blocks, `>` and
 * `>>>` quotes, `- `/`• `/`1. ` lists, paragraphs) holding inline text (mrkdwnInline.ts).
 * A pure parser with no notion of HTML: the tree holds strings, and the web builds React
 * elements from it (ui/MessageText.tsx), so no text can become markup. Every step moves
 * forward through the text (no backtracking regular expressions), so a 40,000-character
 * message parses in linear time.
 */
import { forwardFinder } from "./forwardFinder";
import { parseInline } from "./mrkdwnInline";

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  /** `href` is http(s) or mailto only (linkTarget.ts). */
  | { kind: "link"; href: string; children: Inline[] }
  | { kind: "bold" | "italic" | "strike"; children: Inline[] };

export type Block =
  /** Lines of text; a blank line before the next block ends it with "\n". */
  | { kind: "paragraph"; children: Inline[] }
  | { kind: "codeBlock"; text: string }
  | { kind: "quote"; children: Block[] }
  | { kind: "list"; ordered: boolean; items: ListItem[] };

/** `number` as written (ordered lists only). */
export interface ListItem {
  number?: number;
  children: Inline[];
}

export function parseMrkdwn(text: string): Block[] {
  return parseBlocks(text.replace(/\r\n?/g, "\n"), false);
}

const fence = "```";
const listLine = /^(?:([-•])|(\d{1,9})\.) +(?=\S)/;

/** Blocks of `text`; inside a quote a `>` is text (Slack has no nested quotes). */
function parseBlocks(text: string, inQuote: boolean): Block[] {
  const blocks: Block[] = [];
  const paragraph: string[] = [];
  // Positions asked for only grow, so each finder searches the text once.
  const nextFence = forwardFinder(text, fence);
  const lineEnd = forwardFinder(text, "\n");
  const flush = () => {
    const joined = paragraph.splice(0).join("");
    if (!joined.includes("\n") && !joined.trim()) return; // nothing, or spaces beside a code block
    blocks.push({ kind: "paragraph", children: parseInline(joined.endsWith("\n") ? joined.slice(0, -1) : joined) });
  };
  let at = 0;
  while (at < text.length) {
    const end = lineEnd(at);
    const line = text.slice(at, end);
    if (!inQuote && line.startsWith(">>>")) {
      flush();
      blocks.push({ kind: "quote", children: parseBlocks(text.slice(at + 3).replace(/^[ \t]*\n?/, ""), true) });
      return blocks;
    }
    if (!inQuote && line.startsWith(">")) {
      flush();
      at = quoteLines(at);
      continue;
    }
    const item = listLine.exec(line);
    if (item) {
      flush();
      at = listLines(at, item[2] !== undefined);
      continue;
    }
    at = paragraphLine(at, end);
  }
  flush();
  return blocks;

  /** Consecutive lines starting with `>`, as one quote; where the next line starts. */
  function quoteLines(from: number): number {
    const quoted: string[] = [];
    for (; from < text.length && text[from] === ">"; from = lineEnd(from) + 1) quoted.push(text.slice(from + 1, lineEnd(from)).replace(/^ /, ""));
    blocks.push({ kind: "quote", children: parseBlocks(quoted.join("\n"), true) });
    return from;
  }

  /** Consecutive list lines of one kind (bullets, or numbers), as one list; where the next line starts. */
  function listLines(from: number, ordered: boolean): number {
    const items: ListItem[] = [];
    for (let m; from < text.length && (m = listLine.exec(text.slice(from, lineEnd(from)))) && (m[2] !== undefined) === ordered; from = lineEnd(from) + 1) {
      const children = parseInline(text.slice(from + m[0].length, lineEnd(from)));
      items.push(ordered ? { number: Number(m[2]), children } : { children });
    }
    blocks.push({ kind: "list", ordered, items });
    return from;
  }

  /** One line of a paragraph from `from`, cut by any code blocks opening in it; where the next line starts. */
  function paragraphLine(from: number, end: number): number {
    for (;;) {
      const open = nextFence(from);
      if (open >= end) {
        if (end > from || text[end] === "\n") paragraph.push(text.slice(from, end + 1));
        return end + 1;
      }
      const close = nextFence(open + fence.length);
      const body = text.slice(open + fence.length, close);
      if (close === text.length || !body.trim()) {
        // Unclosed or empty: the backticks are text.
        paragraph.push(text.slice(from, open + fence.length));
        from = open + fence.length;
        continue;
      }
      paragraph.push(text.slice(from, open));
      flush();
      blocks.push({ kind: "codeBlock", text: body.replace(/^\n/, "").replace(/\n$/, "") });
      from = close + fence.length;
      if (text[from] === "\n" || from >= text.length) return from + 1;
      end = lineEnd(from);
    }
  }
}
