/**
 * A message's text as Slack's mrkdwn (format/mrkdwn.ts), built as React elements: text is
 * only ever a text node, never HTML, and a link's href is http(s) or mailto. `@mentions` in
 * the text (also in bold, quotes, lists and link labels; not in code) are marked, those
 * naming the reader highlighted. Given `highlight` (a search's words), the words of the text
 * that match them are in `<mark>`, wherever they are. Its parent gives it a block with `white-space: pre-wrap`.
 */
import { Fragment, type ReactElement, type ReactNode, useMemo } from "react";
import { splitMentions } from "../compose/mentionHighlight";
import { markMatches } from "../format/highlight";
import { type Block, type Inline, parseMrkdwn } from "../format/mrkdwn";
import { useChat } from "./context";

interface Marks {
  myName: string;
  /** Normalized words of a search (format/highlight.ts); none outside search results. */
  highlight: readonly string[];
}

const nothing: readonly string[] = [];

export function MessageText({ text, highlight = nothing }: { text: string; highlight?: readonly string[] }): ReactElement {
  const myName = useChat((s) => s.me.name);
  const blocks = useMemo(() => parseMrkdwn(text), [text]);
  const rendered = useMemo(() => blocks.map((b, i) => renderBlock(b, i, { myName, highlight })), [blocks, myName, highlight]);
  return <>{rendered}</>;
}

function renderBlock(block: Block, key: number, marks: Marks): ReactNode {
  switch (block.kind) {
    case "paragraph":
      return (
        <Fragment key={key}>
          {renderInlines(block.children, marks)}
          {/* A last line break shows no line of its own: one more makes the blank line before the next block show. */}
          {endsWithBlankLine(block.children) && "\n"}
        </Fragment>
      );
    case "codeBlock":
      return <pre key={key}>{renderMatches(block.text, marks)}</pre>;
    case "quote":
      return <blockquote key={key}>{block.children.map((b, i) => renderBlock(b, i, marks))}</blockquote>;
    case "list": {
      const items = block.items.map((item, i) => (
        <li key={i} value={item.number}>
          {renderInlines(item.children, marks)}
        </li>
      ));
      return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
  }
}

function renderInlines(nodes: readonly Inline[], marks: Marks): ReactNode[] {
  return nodes.map((node, key) => {
    switch (node.kind) {
      case "text":
        return <Fragment key={key}>{renderMentions(node.text, marks)}</Fragment>;
      case "code":
        return <code key={key}>{renderMatches(node.text, marks)}</code>;
      case "bold":
        return <strong key={key}>{renderInlines(node.children, marks)}</strong>;
      case "italic":
        return <em key={key}>{renderInlines(node.children, marks)}</em>;
      case "strike":
        return <s key={key}>{renderInlines(node.children, marks)}</s>;
      case "link":
        return (
          <a key={key} href={node.href} target="_blank" rel="noopener noreferrer">
            {renderInlines(node.children, marks)}
          </a>
        );
    }
  });
}

function renderMentions(text: string, marks: Marks): ReactNode[] {
  return splitMentions(text, marks.myName).map((part, i) =>
    part.mention ? (
      <span key={i} className={part.mention === "me" ? "mention is-me" : "mention"}>
        {renderMatches(part.text, marks)}
      </span>
    ) : (
      <Fragment key={i}>{renderMatches(part.text, marks)}</Fragment>
    ),
  );
}

function renderMatches(text: string, { highlight }: Marks): ReactNode {
  if (highlight.length === 0) return text;
  return markMatches(text, highlight).map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : part.text));
}

function endsWithBlankLine(nodes: readonly Inline[]): boolean {
  const last = nodes[nodes.length - 1];
  return last === undefined || (last.kind === "text" && last.text.endsWith("\n"));
}
