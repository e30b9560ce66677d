/**
 * A Slack method's arguments, as the Web API takes them: form-encoded (what `@slack/web-api`
 * sends), JSON (`Content-Type: application/json`, what Slack's docs allow for writes), or in
 * the query string (GET, and alongside a POST body, which wins). Every value becomes a
 * string, as form encoding gives it: JSON numbers and booleans printed, objects and arrays
 * as JSON (how the official client encodes them). Nothing a client sends makes this throw.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";

export type Args = Readonly<Record<string, string>>;

/** Larger than POST /events' 64 KiB: form encoding triples non-ASCII text (40,000 code points fit). */
export const maxArgsBytes = 512 * 1024;

export type ParsedArgs = { ok: true; args: Args } | { ok: false; error: string };

export function parseArgs(event: Pick<APIGatewayProxyEventV2, "body" | "isBase64Encoded" | "headers" | "rawQueryString">): ParsedArgs {
  const args: Record<string, string> = Object.create(null) as Record<string, string>;
  addForm(args, event.rawQueryString ?? "");
  const raw = event.body ?? "";
  if (raw === "") return { ok: true, args };
  const size = event.isBase64Encoded ? Math.floor((raw.replace(/=+$/, "").length * 3) / 4) : Buffer.byteLength(raw, "utf8");
  if (size > maxArgsBytes) return { ok: false, error: "request_too_large" };
  const body = (event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw).replace(/^\uFEFF/, "");
  const type = contentTypeOf(event.headers ?? {});
  if (type.charset !== undefined && !["utf-8", "utf8"].includes(type.charset)) return { ok: false, error: "invalid_charset" };
  switch (type.mediaType) {
    case "application/x-www-form-urlencoded":
      addForm(args, body);
      return { ok: true, args };
    case "application/json":
      return addJson(args, body);
    default:
      return { ok: false, error: "invalid_post_type" };
  }
}

function addForm(args: Record<string, string>, form: string): void {
  for (const [name, value] of new URLSearchParams(form)) args[name] = value;
}

function addJson(args: Record<string, string>, body: string): ParsedArgs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, error: "invalid_json" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { ok: false, error: "json_not_object" };
  for (const [name, value] of Object.entries(parsed)) {
    if (value === null || value === undefined) continue;
    args[name] = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return { ok: true, args };
}

function contentTypeOf(headers: Record<string, string | undefined>): { mediaType: string; charset?: string } {
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
  const [mediaType = "", ...parameters] = value.split(";");
  const charset = parameters
    .map((p) => p.split("="))
    .find(([name]) => name?.trim().toLowerCase() === "charset")?.[1]
    ?.trim()
    .replace(/^"(.*)"$/, "$1")
    .toLowerCase();
  return { mediaType: mediaType.trim().toLowerCase(), ...(charset === undefined ? {} : { charset }) };
}

/** A whole-number argument such as `limit`: its default when absent, else within [min, max], else the error. */
export function intArg(args: Args, name: string, range: { min: number; max: number; fallback: number }): number | { error: string } {
  const value = args[name];
  if (value === undefined || value === "") return range.fallback;
  if (!/^\d{1,9}$/.test(value.trim())) return { error: `invalid_${name}` };
  const n = Number(value.trim());
  // Slack takes `limit=0` as "its default", and serves fewer than asked past its maximum.
  return n === 0 ? range.fallback : Math.min(Math.max(n, range.min), range.max);
}

/** `true`/`1` as Slack reads a boolean argument. */
export const boolArg = (args: Args, name: string): boolean => args[name] === "true" || args[name] === "1";
