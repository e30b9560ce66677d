/**
 * A message's text as Slack's mrkdwn (format/mrkdwn.ts), built as React elements: text is
 * only ever a text node, never HTML, and a link's href is http(s) or mailto. `@mentions` in
 * the text (also in bold, quotes, lists and link labels; not in code) are marked, those
 * naming the reader highlighted. Its parent gives it a block with `white-space: pre-wrap`.
 */
import { Fragment, type ReactElement, type ReactNode, useMemo } from "react";
import { splitMentions } from "../compose/mentionHighlight";
import { type Block, type Inline, parseMrkdwn } from "../format/mrkdwn";
import { useChat } from "./context";

export function MessageText({ text }: { text: string }): ReactElement {
  const myName = useChat((s) => s.me.name);
  const blocks = useMemo(() => parseMrkdwn(text), [text]);
  const rendered = useMemo(() => blocks.map((b, i) => renderBlock(b, i, myName)), [blocks, myName]);
  return <>{rendered}</>;
}

function renderBlock(block: Block, key: number, myName: string): ReactNode {
  switch (block.kind) {
    case "paragraph":
      return (
        <Fragment key={key}>
          {renderInlines(block.children, myName)}
          {/* A last line break shows no line of its own: one more makes the blank line before the next block show. */}
          {endsWithBlankLine(block.children) && "\n"}
        </Fragment>
      );
    case "codeBlock":
      return <pre key={key}>{block.text}</pre>;
    case "quote":
      return <blockquote key={key}>{block.children.map((b, i) => renderBlock(b, i, myName))}</blockquote>;
    case "list": {
      const items = block.items.map((item, i) => (
        <li key={i} value={item.number}>
          {renderInlines(item.children, myName)}
        </li>
      ));
      return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
  }
}

function renderInlines(nodes: readonly Inline[], myName: string): ReactNode[] {
  return nodes.map((node, key) => {
    switch (node.kind) {
      case "text":
        return <Fragment key={key}>{renderMentions(node.text, myName)}</Fragment>;
      case "code":
        return <code key={key}>{node.text}</code>;
      case "bold":
        return <strong key={key}>{renderInlines(node.children, myName)}</strong>;
      case "italic":
        return <em key={key}>{renderInlines(node.children, myName)}</em>;
      case "strike":
        return <s key={key}>{renderInlines(node.children, myName)}</s>;
      case "link":
        return (
          <a key={key} href={node.href} target="_blank" rel="noopener noreferrer">
            {renderInlines(node.children, myName)}
          </a>
        );
    }
  });
}

function renderMentions(text: string, myName: string): ReactNode[] {
  return splitMentions(text, myName).map((part, i) =>
    part.mention ? (
      <span key={i} className={part.mention === "me" ? "mention is-me" : "mention"}>
        {part.text}
      </span>
    ) : (
      part.text
    ),
  );
}

function endsWithBlankLine(nodes: readonly Inline[]): boolean {
  const last = nodes[nodes.length - 1];
  return last === undefined || (last.kind === "text" && last.text.endsWith("\n"));
}
