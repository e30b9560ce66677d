/**
 * The JSON body of a request, checked the same way on every route that takes one: content
 * type (415), size before anything is parsed (413), JSON (400 `invalid_json`) and shape
 * (400 `invalid_body`). Nothing a client sends can make it throw.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { ApiError } from "./responses";

/** Deepest nesting accepted (the body object itself is level 1). */
export const maxDepth = 8;

export type ParsedObject = { ok: true; object: Record<string, unknown> } | { ok: false; error: ApiError };

/** Content type and size; `what` names the body in messages ("the event"). */
export function checkJsonEnvelope(event: APIGatewayProxyEventV2, headers: Record<string, string | undefined>, maxBytes: number, what: string): ApiError | undefined {
  if (!isJsonContentType(headers["content-type"])) {
    return { status: 415, code: "unsupported_media_type", message: `Send ${what} as JSON in UTF-8 (Content-Type: application/json).` };
  }
  const body = event.body ?? "";
  // Sized without decoding: base64 takes 4 characters per 3 bytes.
  const size = event.isBase64Encoded ? Math.floor((body.replace(/=+$/, "").length * 3) / 4) : Buffer.byteLength(body, "utf8");
  if (size > maxBytes) return { status: 413, code: "payload_too_large", message: `The body must be at most ${maxBytes} bytes (${Math.round(maxBytes / 1024)} KiB).` };
  return undefined;
}

/**
 * The body as a JSON object. A leading UTF-8 byte order mark is ignored, as RFC 8259
 * allows; a syntax error is reported by position, never by quoting the input. JSON.parse
 * makes `__proto__` an own property, never a prototype.
 */
export function parseJsonObject(event: APIGatewayProxyEventV2, what: string, whyFlat: string): ParsedObject {
  const body = event.body ?? "";
  const text = (event.isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body).replace(/^\uFEFF/, "");
  if (text.trim() === "") return invalid("invalid_json", `The body is empty: send ${what} as a JSON object.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const at = /at position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
    const where = at === undefined ? (/end of JSON/i.test(String(error)) ? " (it ends too soon)" : "") : ` (at character ${at})`;
    return invalid("invalid_json", `The body is not valid JSON${where}.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return invalid("invalid_body", "The body must be a JSON object.");
  if (depthOver(parsed, maxDepth)) return invalid("invalid_body", `The body nests deeper than ${maxDepth} levels; ${whyFlat}.`);
  return { ok: true, object: parsed as Record<string, unknown> };
}

const invalid = (code: string, message: string): ParsedObject => ({ ok: false, error: { status: 400, code, message } });

/** `application/json`, any case, optional parameters; a charset, if given, must be UTF-8. */
function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [mediaType, ...parameters] = value.split(";");
  if (mediaType?.trim().toLowerCase() !== "application/json") return false;
  for (const parameter of parameters) {
    const eq = parameter.indexOf("=");
    if (eq < 0) continue;
    const name = parameter.slice(0, eq).trim().toLowerCase();
    const setting = parameter.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    if (name === "charset" && setting !== "utf-8" && setting !== "utf8") return false;
  }
  return true;
}

/** Whether `value` nests deeper than `limit` levels; iterative, so no input can exhaust the stack. */
function depthOver(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}


export function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
