/**
 * Turns POST /events into a validated input, or into the 4xx the contract names. Nothing a
 * client sends can make it throw; every refusal says what to fix and never how the server
 * works inside. In order:
 *
 * 1. Content type (415): `application/json`, with no charset or `charset=utf-8`.
 * 2. Size (413): at most 64 KiB of body, measured before anything is parsed.
 * 3. `Idempotency-Key` (400 `invalid_idempotency_key`): 1–128 visible ASCII characters.
 * 4. JSON (400 `invalid_json`): empty bodies and syntax errors (a leading UTF-8 byte order
 *    mark is ignored, as RFC 8259 allows); the message gives the position, not the input.
 * 5. Shape (400 `invalid_body`): a JSON object, nested at most `maxDepth` levels (no field of
 *    any event holds an object or array, so anything deeper is refused before the schema
 *    walks it). JSON.parse makes `__proto__` an own property, never a prototype, and such
 *    keys are unknown fields anyway.
 * 6. Type (400 `unknown_type`), then the type's schema (400 `invalid_field`, functions/domain/
 *    events.ts; the message names what was sent in plain words, "This message is not valid: …"): fields validated with their limits, unknown fields refused (so a typo never
 *    silently drops data), strings must be well-formed Unicode (a lone surrogate cannot be
 *    stored, rendered or sent on as UTF-8). `details` lists at most `maxDetails` problems as
 *    `{field, message}`; long field names are cut.
 * UUIDs are compared in lowercase everywhere (streams, view paths), so `channelId` and
 * `messageId` are lowercased here: an uppercase UUID names the same channel.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { clientEventTypes, EventInput, type EventInput as Input, inputSchemas, limits } from "../domain/events";
import { checkJsonEnvelope, lowerCaseKeys, parseJsonObject } from "./jsonBody";
import type { ApiError } from "./responses";

export type ParsedRequest = { ok: true; input: Input; idempotencyKey?: string } | { ok: false; error: ApiError };

export interface FieldProblem {
  field: string;
  message: string;
}

export { maxDepth } from "./jsonBody";
/** Problems listed in `details` at most. */
export const maxDetails = 10;
const maxFieldNameLength = 64;

/** What each event is to a person, for the refusal's message (people read it; the type is in the request). */
const nouns: Partial<Record<Input["type"], string>> = {
  channel_created: "channel",
  user_joined_channel: "join",
  user_left_channel: "leave",
  message_sent: "message",
  message_edited: "edit",
  message_deleted: "deletion",
  reaction_added: "reaction",
  reaction_removed: "reaction removal",
  channel_renamed: "channel rename",
  channel_topic_set: "topic",
  dm_opened: "direct message",
  user_renamed: "name change",
};

const fail = (status: number, code: string, message: string, details?: unknown): ParsedRequest => ({
  ok: false,
  error: { status, code, message, details },
});

export function parseEventRequest(event: APIGatewayProxyEventV2): ParsedRequest {
  const headers = lowerCaseKeys(event.headers ?? {});
  const refused = checkJsonEnvelope(event, headers, limits.bodyBytes, "the event");
  if (refused) return { ok: false, error: refused };
  const key = headers["idempotency-key"];
  if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) {
    return fail(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 128 visible ASCII characters.");
  }
  const parsed = parseJsonObject(event, "the event", "no event has nested fields");
  if (!parsed.ok) return parsed;
  const checked = checkEventInput(parsed.object);
  return checked.ok ? { ...checked, idempotencyKey: key } : checked;
}

/**
 * Steps 6 on: an event as a parsed object, checked as POST /events checks it (type, schema,
 * well-formed strings), with its ids lowercased. Other front doors (the Slack API) build
 * the object their own way and check it here, so a write is validated alike on every path.
 */
export function checkEventInput(object: Record<string, unknown>): ParsedRequest {
  const type = Object.hasOwn(object, "type") ? object.type : undefined;
  if (typeof type !== "string" || !(clientEventTypes as readonly string[]).includes(type)) {
    return fail(400, "unknown_type", `"type" must be one of: ${clientEventTypes.join(", ")}.`);
  }
  const checked = EventInput.safeParse(object);
  const problems = [...illFormedStrings(object), ...(checked.success ? [] : schemaProblems(type as Input["type"], object, checked.error.issues))];
  if (problems.length > 0 || !checked.success) {
    if (problems.length === 0) problems.push({ field: "(body)", message: "is not a valid event" });
    return fail(400, "invalid_field", describeProblems(`This ${nouns[type as Input["type"]] ?? "event"} is not valid`, problems), problems.slice(0, maxDetails));
  }
  return { ok: true, input: lowercaseIds(checked.data) };
}

/** "What: a must…; b is required.", at most `maxDetails` problems, with one full stop at the end. */
export function describeProblems(what: string, problems: readonly FieldProblem[]): string {
  const details = problems.slice(0, maxDetails);
  const more = problems.length > details.length ? `; and ${problems.length - details.length} more` : "";
  return `${what}: ${details.map((d) => `${d.field} ${d.message}`).join("; ")}${more}`.replace(/\.*$/, ".");
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Top-level string fields that are not well-formed UTF-16 (unknown fields are refused anyway). */
function illFormedStrings(body: Record<string, unknown>): FieldProblem[] {
  return Object.entries(body)
    .filter(([name, value]) => typeof value === "string" && loneSurrogate.test(value) && !loneSurrogate.test(name))
    .map(([name]) => ({ field: fieldName(name), message: "must be well-formed Unicode (it holds a lone surrogate)" }));
}

type Issue = NonNullable<ReturnType<typeof EventInput.safeParse>["error"]>["issues"][number];

function schemaProblems(type: Input["type"], body: Record<string, unknown>, issues: readonly Issue[]): FieldProblem[] {
  const known = Object.keys(inputSchemas[type].shape);
  return issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((name) => ({ field: fieldName(name), message: `is not a field of ${type} (its fields: ${known.join(", ")})` }));
    }
    const name = String(issue.path[0] ?? "");
    const field = issue.path.length === 0 ? "(body)" : fieldName(issue.path.map(String).join("."));
    if (issue.code === "invalid_type" && name !== "" && !Object.hasOwn(body, name)) return [{ field, message: "is required" }];
    return [{ field, message: issue.message }];
  });
}

function fieldName(name: string): string {
  const printable = JSON.stringify(name).slice(1, -1); // control characters and lone surrogates escaped
  return printable.length > maxFieldNameLength ? `${printable.slice(0, maxFieldNameLength)}…` : printable;
}

function lowercaseIds(input: Input): Input {
  const ids = input as { channelId?: string; messageId?: string; threadId?: string };
  return {
    ...input,
    ...(ids.channelId === undefined ? {} : { channelId: ids.channelId.toLowerCase() }),
    ...(ids.messageId === undefined ? {} : { messageId: ids.messageId.toLowerCase() }),
    ...(ids.threadId === undefined ? {} : { threadId: ids.threadId.toLowerCase() }),
  } as Input;
}
