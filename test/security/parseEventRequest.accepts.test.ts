/**
 * The other half of POST /events' parser (functions/http/parseEventRequest.ts; its refusals
 * are in parseEventRequest.test.ts): every valid request of every client event type is
 * accepted, and the parsed input is the request's own, with `text` trimmed and UUIDs in
 * lowercase. Values are generated at and near the limits of functions/domain/events.ts:
 * names of 1 and 80 characters, topics of 250 UTF-16 units, texts of 40,000 code points
 * (astral ones counting one each), member ids and Idempotency-Keys of 1 and 128 characters.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { expect } from "chai";
import fc from "fast-check";
import { clientEventTypes, limits } from "../../functions/domain/events";
import { parseEventRequest } from "../../functions/http/parseEventRequest";

const chars = (from: number, to: number, except = "") =>
  fc.integer({ min: from, max: to }).map((c) => String.fromCodePoint(c)).filter((c) => !except.includes(c));
/** Visible ASCII, as member ids and Idempotency-Keys may hold. */
const visible = chars(0x21, 0x7e);
const exactly = (unit: fc.Arbitrary<string>, n: number) => fc.string({ unit, minLength: n, maxLength: n });
/** Lengths at the limit, one under, the least, one over the least, and anything between (each as likely: constantFrom favours its first). */
const near = (min: number, max: number) => fc.oneof(fc.constant(min), fc.constant(min + 1), fc.constant(max - 1), fc.constant(max), fc.integer({ min, max }));
const ofLength = (unit: fc.Arbitrary<string>, min: number, max: number) => near(min, max).chain((n) => exactly(unit, n));

/** A UUID in any mix of cases; it must come back in lowercase. */
const uuid = fc.tuple(fc.uuid(), fc.array(fc.boolean(), { minLength: 36, maxLength: 36 })).map(([id, upper]) => [...id].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));

/** 1–80 of a-z, 0-9, '-', '_', with at least one letter or digit. */
const nameChars = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-_");
const name = fc
  .tuple(near(1, limits.nameLength), fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"), fc.nat())
  .chain(([n, alnum, at]) => exactly(nameChars, n - 1).map((rest) => rest.slice(0, at % n) + alnum + rest.slice(at % n)));

/** Any well-formed string of 0–250 UTF-16 units (astral characters take two). */
const topic = near(0, limits.topicLength).chain((n) =>
  fc.string({ unit: "binary", maxLength: n }).map((s) => {
    let cut = "";
    for (const c of s) if (cut.length + c.length <= n) cut += c;
    return cut.padEnd(n, "t");
  }),
);

const whitespace = fc.string({ unit: fc.constantFrom(" ", "\n", "\t", "\r", "\u00a0", "\u2003", "\ufeff"), maxLength: 3 });
/** A text near 40,000 code points: a pattern of ASCII, other BMP and astral characters, repeated; within 64 KiB as JSON. */
const longText = fc
  .tuple(near(limits.textCodePoints - 2, limits.textCodePoints), fc.array(fc.oneof({ weight: 8, arbitrary: chars(0x21, 0x7e, '"\\') }, chars(0xa1, 0xd7ff), chars(0x10000, 0x10ffff)), { minLength: 1, maxLength: 40 }))
  .filter(([, pattern]) => Buffer.byteLength(pattern.join("")) <= 1.6 * pattern.length)
  .map(([n, pattern]) => Array.from({ length: n }, (_, i) => pattern[i % pattern.length]).join(""));
/** Any text that is not blank, with blanks around it sometimes. */
const shortText = fc.string({ unit: "binary", minLength: 1, maxLength: 200 }).filter((s) => s.trim() !== "");
const text = fc.tuple(whitespace, fc.oneof(shortText, longText, chars(0x10000, 0x10ffff)), whitespace).map(([a, t, b]) => a + t + b);

/** 1–80 visible characters, with blanks around it sometimes (trimmed by the parser). */
const displayName = fc.tuple(whitespace, ofLength(visible, 1, limits.nameLength), whitespace).map(([a, core, b]) => a + core + b);

/** An emoji's name: 1–64 of a-z, 0-9, '_', '+', '-' (Slack's: thumbsup, +1, e-mail). */
const emoji = ofLength(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789_+-"), 1, limits.emojiLength);

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const withoutUndefined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const bodies = {
  channel_created: fc.record({ channelId: optional(uuid), name, topic: optional(topic), private: optional(fc.boolean()) }),
  user_joined_channel: fc.record({ channelId: uuid, memberId: optional(ofLength(visible, 1, 128)) }),
  user_left_channel: fc.record({ channelId: uuid, memberId: optional(ofLength(visible, 1, 128)) }),
  message_sent: fc.record({ channelId: uuid, messageId: uuid, text }),
  message_edited: fc.record({ channelId: uuid, messageId: uuid, text }),
  message_deleted: fc.record({ channelId: uuid, messageId: uuid }),
  reaction_added: fc.record({ channelId: uuid, messageId: uuid, emoji }),
  reaction_removed: fc.record({ channelId: uuid, messageId: uuid, emoji }),
  channel_renamed: fc.record({ channelId: uuid, name }),
  channel_topic_set: fc.record({ channelId: uuid, topic }),
  dm_opened: fc.record({ memberIds: fc.uniqueArray(ofLength(visible, 1, 128), { minLength: 1, maxLength: limits.dmOthers }) }),
  user_renamed: fc.record({ name: displayName }),
};
const valid = fc.oneof(...clientEventTypes.map((type) => bodies[type].map((fields) => ({ type, ...withoutUndefined(fields) }))));

/** What the parser must give back: the body itself, text trimmed, ids lowercased. */
function expected(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  for (const id of ["channelId", "messageId"]) if (typeof out[id] === "string") out[id] = (out[id] as string).toLowerCase();
  if (typeof out.text === "string") out.text = out.text.trim();
  if (out.type === "user_renamed" && typeof out.name === "string") out.name = out.name.trim();
  return out;
}

describe("POST /events parser: every valid request is accepted as sent", () => {
  it("covers every client event type", () => {
    expect(Object.keys(bodies).sort()).to.deep.equal([...clientEventTypes].sort());
  });

  it("accepts any valid event, at and near every limit, and parses it to the input (text trimmed, UUIDs lowercased) (property)", () => {
    const key = optional(ofLength(visible, 1, limits.idempotencyKeyLength));
    const contentType = fc.constantFrom("application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF8");
    fc.assert(
      fc.property(valid, key, contentType, fc.boolean(), (body, idempotencyKey, type, base64) => {
        const json = JSON.stringify(body);
        expect(Buffer.byteLength(json), "the generated body fits the size limit").to.be.at.most(limits.bodyBytes);
        const headers: Record<string, string> = { "content-type": type, ...(idempotencyKey === undefined ? {} : { "Idempotency-Key": idempotencyKey }) };
        const event = { headers, body: base64 ? Buffer.from(json).toString("base64") : json, isBase64Encoded: base64 } as unknown as APIGatewayProxyEventV2;
        const parsed = parseEventRequest(event);
        if (!parsed.ok) expect.fail(`refused ${parsed.error.status} ${parsed.error.code}: ${parsed.error.message}`);
        expect(parsed).to.deep.equal({ ok: true, input: expected(body), idempotencyKey });
      }),
      { numRuns: 1000 },
    );
  });

  it("generates the limits themselves: 1- and 80-character names, 250-unit topics, 40,000-code-point texts with astral characters", () => {
    const samples = fc.sample(valid, { numRuns: 1000, seed: 42 }) as Record<string, unknown>[];
    const lengths = (field: string, measure: (s: string) => number) => new Set(samples.map((b) => b[field]).filter((v): v is string => typeof v === "string").map(measure));
    expect([...lengths("name", (s) => s.length)]).to.include.members([1, limits.nameLength]);
    expect([...lengths("topic", (s) => s.length)]).to.include.members([0, limits.topicLength]);
    expect([...lengths("memberId", (s) => s.length)]).to.include.members([1, 128]);
    const longest = samples.map((b) => b.text).filter((t): t is string => typeof t === "string" && [...t.trim()].length === limits.textCodePoints);
    expect(longest.some((t) => t.trim().length > limits.textCodePoints), "a 40,000-code-point text longer than 40,000 UTF-16 units").to.equal(true);
  });
});
