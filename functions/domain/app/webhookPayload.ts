/**
 * What an incoming webhook posts, from Slack's payload (CONTRACT §13): `text`, and
 * `thread_ts` to reply in a thread. Without `text`, the text of its attachments or blocks
 * is used (Alertmanager and others send only those); with neither, `no_text`, as Slack
 * answers. Every other field (`channel`, `username`, `icon_emoji`, …) is ignored: a
 * webhook posts as its app's bot, into its own channel.
 */
import { refuse, type Refusal } from "../refusal";

export interface WebhookMessage {
  text: string;
  threadTs?: string;
}

export const noText = refuse(400, "no_text", "The payload has no text (nor attachments or blocks with text).");
export const invalidPayload = (why: string) => refuse(400, "invalid_payload", `The payload is not valid: ${why}.`);

export function webhookMessage(payload: Record<string, unknown>): WebhookMessage | Refusal {
  const threadTs = payload.thread_ts;
  if (threadTs !== undefined && typeof threadTs !== "string" && typeof threadTs !== "number") return invalidPayload("thread_ts must be a message's ts");
  const text = (typeof payload.text === "string" ? payload.text : "").trim() || [...attachmentTexts(payload.attachments), ...blockTexts(payload.blocks)].join("\n").trim();
  if (!text) return noText;
  // As POST /events refuses it: a lone surrogate cannot be stored, rendered or sent on as UTF-8.
  if (loneSurrogate.test(text)) return invalidPayload("the text must be well-formed Unicode");
  return { text, ...(threadTs === undefined || threadTs === "" ? {} : { threadTs: String(threadTs) }) };
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const strings = (...values: unknown[]) => values.filter((v): v is string => typeof v === "string" && v.trim() !== "");
const objects = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)) : [];
const textOf = (value: unknown) => (typeof value === "object" && value !== null ? (value as { text?: unknown }).text : undefined);

/** An attachment's pretext, title and text, or its fallback when it has none of them. */
function attachmentTexts(attachments: unknown): string[] {
  return objects(attachments).flatMap((a) => {
    const parts = strings(a.pretext, a.title, a.text);
    return parts.length > 0 ? parts : strings(a.fallback);
  });
}

/** The text of section, header and context blocks (and a section's fields). */
function blockTexts(blocks: unknown): string[] {
  return objects(blocks).flatMap((b) => [...strings(textOf(b.text)), ...strings(...objects(b.fields).map(textOf)), ...strings(...objects(b.elements).map(textOf))]);
}
