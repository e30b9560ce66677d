/**
 * Turns POST /events into a validated input, or into the 4xx the contract names. The size
 * limit is checked before parsing and the content type before anything else.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { clientEventTypes, EventInput, type EventInput as Input, limits } from "../domain/events";
import type { ApiError } from "./responses";

export type ParsedRequest = { ok: true; input: Input; idempotencyKey?: string } | { ok: false; error: ApiError };

const fail = (status: number, code: string, message: string, details?: unknown): ParsedRequest => ({
  ok: false,
  error: { status, code, message, details },
});

export function parseEventRequest(event: APIGatewayProxyEventV2): ParsedRequest {
  const headers = lowerCaseKeys(event.headers ?? {});
  const contentType = (headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/json") return fail(415, "unsupported_media_type", "Send the event as JSON (Content-Type: application/json).");
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64") : Buffer.from(event.body ?? "", "utf8");
  if (raw.byteLength > limits.bodyBytes) return fail(413, "payload_too_large", `The body must be at most ${limits.bodyBytes} bytes.`);
  const key = headers["idempotency-key"];
  if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) {
    return fail(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 128 visible ASCII characters.");
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    return fail(400, "invalid_json", "The body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return fail(400, "invalid_body", "The body must be a JSON object.");
  const type = (body as { type?: unknown }).type;
  if (typeof type !== "string" || !(clientEventTypes as readonly string[]).includes(type)) {
    return fail(400, "unknown_type", `"type" must be one of: ${clientEventTypes.join(", ")}.`);
  }
  const parsed = EventInput.safeParse(body);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
    return fail(400, "invalid_field", `Invalid ${type}: ${details.map((d) => `${d.field} ${d.message}`).join("; ")}.`, details);
  }
  return { ok: true, input: parsed.data, idempotencyKey: key };
}

function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
