/**
 * The body of a POST to an incoming webhook, as Slack takes it: JSON (whatever the content
 * type says: `curl -d '{"text": "hi"}'` sends it as a form), or a form whose `payload` field
 * holds the JSON. At most 64 KiB, a JSON object, else `invalid_payload`. Nothing a client
 * sends can make it throw.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { invalidPayload } from "../domain/app/webhookPayload";
import { limits } from "../domain/limits";
import type { Refusal } from "../domain/refusal";
import { lowerCaseKeys } from "./jsonBody";

export function parseWebhookBody(event: APIGatewayProxyEventV2): Record<string, unknown> | Refusal {
  const raw = event.body ?? "";
  const size = event.isBase64Encoded ? Math.floor((raw.replace(/=+$/, "").length * 3) / 4) : Buffer.byteLength(raw, "utf8");
  if (size > limits.bodyBytes) return invalidPayload(`the body must be at most ${limits.bodyBytes} bytes`);
  let text = (event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw).replace(/^\uFEFF/, "");
  const contentType = lowerCaseKeys(event.headers ?? {})["content-type"] ?? "";
  if (/^application\/x-www-form-urlencoded/i.test(contentType) && !text.trimStart().startsWith("{")) {
    text = new URLSearchParams(text).get("payload") ?? "";
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return invalidPayload("the body is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return invalidPayload("the body must be a JSON object");
  return parsed as Record<string, unknown>;
}
