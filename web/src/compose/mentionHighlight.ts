/**
 * Message text cut into plain runs and `@mentions`, each mention marked when it names the
 * reader, by the very rule the mentions projection uses (functions/domain/projections/mentions.ts).
 */
import { mentionToken, tokensNaming } from "../../../functions/domain/projections/mentions";

export type TextPart = { text: string; mention?: "me" | "other" };

export function splitMentions(text: string, myName: string): TextPart[] {
  const mine = tokensNaming(myName);
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(mentionToken)) {
    const index = match.index ?? 0;
    if (index > at) parts.push({ text: text.slice(at, index) });
    parts.push({ text: match[0], mention: mine.has((match[1] ?? "").toLowerCase()) ? "me" : "other" });
    at = index + match[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}
