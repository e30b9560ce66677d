/**
 * Fuzzing POST /events through the sandbox (front door, JWT authorizer, the real store
 * handler, dynalite): thousands of generated invalid requests, wrong types, missing and
 * extra fields, huge and odd Unicode strings, broken JSON, deep nesting, wrong content
 * types and keys. Each must get a JSON 4xx whose message shows no internals, and the event
 * store must be exactly as before (every item compared), with nothing published.
 *
 * Every generated request is invalid by construction (a valid template with one defect).
 * Requests rotate over 60 accounts, so no account sends more than the burst of 60 and the
 * rate limit never answers in place of validation (a 429 would fail the test).
 */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import fc from "fast-check";
import { z } from "zod";
import { clientEventTypes, type EventInput, inputSchemas } from "../../functions/domain/events";
import type { Sandbox } from "../../infra/local";
import { post, signUp, type Person } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { cognitoLocalToken } from "../support/sandboxTokens";
import { tableClient, tableSnapshot } from "../faults/support";

type Type = EventInput["type"];

interface FuzzRequest {
  kind: string;
  body: string | Uint8Array;
  contentType?: string;
  idempotencyKey?: string;
}

const accounts = 60;
const batch = 12;
const runs = 250; // × batch = 3,000 requests

const uuidSchema = z.uuid();
const isUuid = (s: string) => uuidSchema.safeParse(s).success;
const validName = (s: string) => /^[a-z0-9_-]{1,80}$/.test(s) && /[a-z0-9]/.test(s);
const validMemberId = (s: string) => /^[\x21-\x7e]{1,128}$/.test(s);
const validEmoji = (s: string) => /^[a-z0-9_+-]{1,64}$/.test(s);

/** Appends `"key": value` to a JSON object's text (so that keys like __proto__ stay plain keys). */
const withRawField = (json: string, key: string, valueJson: string) => `${json.slice(0, -1)}${json.length > 2 ? "," : ""}${JSON.stringify(key)}:${valueJson}}`;

describe("fuzzing POST /events through the sandbox", function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let api: string;
  let owner: Person;
  let channelId: string;
  let messageId: string;
  let tokens: string[];

  before(async () => {
    sandbox = await startTestSandbox();
    api = sandbox.urls.api;
    owner = await signUp(sandbox.urls.cognito, sandbox.clientId, "Owner");
    const created = await post(api, owner.token, { type: "channel_created", name: "fuzzed" });
    channelId = created.body.stream.replace(/^channel-/, "");
    messageId = randomUUID();
    expect((await post(api, owner.token, { type: "message_sent", channelId, messageId, text: "target" })).status).to.equal(202);
    const issuer = `${sandbox.urls.cognito}/${sandbox.userPoolId}`;
    // Accounts of the pool as far as the door can tell (signed with its key); never registered,
    // since no request of theirs is valid.
    tokens = await Promise.all(
      Array.from({ length: accounts }, (_, i) => cognitoLocalToken({ issuer, audience: sandbox.clientId, claims: { sub: randomUUID(), name: `Fuzzer ${i}` } })),
    );
    await sandbox.bus.idle();
  });
  after(() => disposeTestSandbox(sandbox));

  const templates = (): Record<Type, Record<string, unknown>> => ({
    channel_created: { type: "channel_created", name: "fuzz-room", topic: "a topic", private: false, channelId: randomUUID() },
    user_joined_channel: { type: "user_joined_channel", channelId, memberId: "someone-else" },
    user_left_channel: { type: "user_left_channel", channelId },
    message_sent: { type: "message_sent", channelId, messageId: randomUUID(), text: "hello" },
    message_edited: { type: "message_edited", channelId, messageId, text: "edited" },
    message_deleted: { type: "message_deleted", channelId, messageId },
    reaction_added: { type: "reaction_added", channelId, messageId, emoji: "thumbsup" },
    reaction_removed: { type: "reaction_removed", channelId, messageId, emoji: "+1" },
    channel_renamed: { type: "channel_renamed", channelId, name: "fuzz-renamed" },
    channel_topic_set: { type: "channel_topic_set", channelId, topic: "a new topic" },
    dm_opened: { type: "dm_opened", memberIds: ["someone-else"] },
    user_renamed: { type: "user_renamed", name: "Fuzzy Name" },
  });
  const required: Record<Type, string[]> = {
    channel_created: ["type", "name"],
    user_joined_channel: ["type", "channelId"],
    user_left_channel: ["type", "channelId"],
    message_sent: ["type", "channelId", "messageId", "text"],
    message_edited: ["type", "channelId", "messageId", "text"],
    message_deleted: ["type", "channelId", "messageId"],
    reaction_added: ["type", "channelId", "messageId", "emoji"],
    reaction_removed: ["type", "channelId", "messageId", "emoji"],
    channel_renamed: ["type", "channelId", "name"],
    channel_topic_set: ["type", "channelId", "topic"],
    dm_opened: ["type", "memberIds"],
    user_renamed: ["type", "name"],
  };
  const type = fc.constantFrom(...(clientEventTypes as Type[]));

  // Strings: odd Unicode of every sort, lone surrogates, huge.
  const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
  const oddUnicode = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: "grapheme-composite", maxLength: 20 }),
    fc.constantFrom("\u202e", "\u200b", "\ufeff", "\u0000", "\u0301\u0301\u0301", "ｆｕｌｌ", "Ω", "🏳️‍🌈", "\ud83d\ude00", "\u2028\u2029", "İ", "ß"),
  );
  const withLoneSurrogate = fc.tuple(fc.string({ maxLength: 10 }), loneSurrogate, fc.string({ maxLength: 10 })).map(([a, s, b]) => `${a}${s}${b}`)
    .filter((s) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s));
  const wrongTyped = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }));
  const nested = fc.tuple(fc.integer({ min: 9, max: 12_000 }), fc.boolean()).map(([depth, arrays]) =>
    arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );
  const invalidFieldValue: Record<string, fc.Arbitrary<unknown>> = {
    type: fc.oneof(fc.string().filter((s) => !(clientEventTypes as readonly string[]).includes(s)), fc.constantFrom("user_registered", "__proto__", "constructor", "MESSAGE_SENT", " message_sent"), wrongTyped),
    channelId: fc.oneof(fc.string().filter((s) => !isUuid(s)), oddUnicode.filter((s) => !isUuid(s)), fc.uuid().map((u) => `{${u}}`), fc.uuid().map((u) => `${u} `), fc.uuid().map((u) => u.replace(/-/g, "")), wrongTyped),
    messageId: fc.oneof(fc.string().filter((s) => !isUuid(s)), fc.uuid().map((u) => u.slice(0, -1) + "g"), wrongTyped),
    name: fc.oneof(
      fc.string({ maxLength: 90 }).filter((s) => !validName(s)),
      oddUnicode.filter((s) => !validName(s)),
      fc.constantFrom("", "General", "with space", "-_-", "é", "a".repeat(81), "naïve", "ｇｅｎｅｒａｌ", "gen\u200b", "\u202egen"),
      wrongTyped,
    ),
    topic: fc.oneof(fc.integer({ min: 251, max: 2000 }).map((n) => "t".repeat(n)), withLoneSurrogate, wrongTyped),
    private: fc.oneof(fc.constantFrom("true", "false", 0, 1, "yes"), fc.constant(null), fc.array(fc.boolean(), { maxLength: 2 })),
    memberId: fc.oneof(fc.string({ maxLength: 140 }).filter((s) => !validMemberId(s)), fc.constantFrom("", "a".repeat(129), "has space", "ünï"), wrongTyped),
    memberIds: fc.oneof(
      fc.constantFrom([], ["a", "a"], Array.from({ length: 9 }, (_, i) => `p${i}`), [""], ["has space"], [null], [1], [["nested"]]),
      fc.array(fc.string({ maxLength: 140 }).filter((s) => !validMemberId(s)), { minLength: 1, maxLength: 3 }),
      wrongTyped.filter((v) => !Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== "string" || !validMemberId(x))),
    ),
    emoji: fc.oneof(
      fc.string({ maxLength: 70 }).filter((s) => !validEmoji(s)),
      fc.constantFrom("", "Thumbsup", "thumbs up", ":thumbsup:", "👍", "e".repeat(65), "tada\n", "+1 "),
      wrongTyped,
    ),
    text: fc.oneof(
      fc.constantFrom("", " ", "\n\t ", "\u00a0\u2003\u3000", "\ufeff"),
      withLoneSurrogate,
      fc.integer({ min: 40_001, max: 45_000 }).map((n) => "a".repeat(n)), // under 64 KiB, over 40,000 code points
      wrongTyped,
    ),
  };

  const stringFields: Record<Type, string[]> = {
    channel_created: ["name", "topic"],
    user_joined_channel: ["memberId", "channelId"],
    user_left_channel: ["channelId"],
    message_sent: ["text", "messageId"],
    message_edited: ["text", "messageId"],
    message_deleted: ["messageId"],
    reaction_added: ["emoji", "messageId"],
    reaction_removed: ["emoji", "channelId"],
    channel_renamed: ["name", "channelId"],
    channel_topic_set: ["topic", "channelId"],
    dm_opened: ["memberIds"],
    user_renamed: ["name"],
  };
  const hugeOrOdd: Record<string, fc.Arbitrary<string>> = {
    text: fc.oneof(
      withLoneSurrogate,
      fc.tuple(withLoneSurrogate, fc.string({ unit: "grapheme", maxLength: 200 })).map(([a, b]) => `${b}${a}${b}`),
      fc.constantFrom("   ", " ", "﻿﻿"),
      fc.integer({ min: 40_001, max: 60_000 }).map((n) => "a".repeat(n)),
      fc.integer({ min: 33_000, max: 60_000 }).map((n) => "é".repeat(n)), // over 64 KiB in UTF-8
      fc.integer({ min: 16_400, max: 30_000 }).map((n) => "😀".repeat(n)),
    ),
    topic: fc.oneof(withLoneSurrogate, fc.integer({ min: 251, max: 5000 }).map((n) => "ü".repeat(n)), fc.string({ unit: "grapheme", minLength: 251, maxLength: 400 }).filter((s) => s.length > 250)),
    name: fc.oneof(oddUnicode, fc.string({ unit: "grapheme", maxLength: 100 }), withLoneSurrogate).filter((s) => !validName(s)),
    memberId: fc.oneof(oddUnicode, withLoneSurrogate, fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 })).filter((s) => !validMemberId(s)),
    channelId: fc.oneof(oddUnicode, withLoneSurrogate, fc.string({ unit: "grapheme", maxLength: 50 })).filter((s) => !isUuid(s)),
    messageId: fc.oneof(oddUnicode, withLoneSurrogate).filter((s) => !isUuid(s)),
    // A string where a list of ids belongs.
    memberIds: fc.oneof(oddUnicode, withLoneSurrogate, fc.string({ maxLength: 50 })),
    emoji: fc.oneof(oddUnicode, withLoneSurrogate, fc.string({ unit: "grapheme", minLength: 65, maxLength: 200 })).filter((s) => !validEmoji(s)),
  };

  /** A person's name follows other rules than a channel's. */
  const ruleOf = (t: Type, field: string) => (t === "user_renamed" && field === "name" ? "displayName" : field);
  const badDisplayName = fc.oneof(
    fc.constantFrom("", " ", "\n\t ", "\u00a0\u2003", "n".repeat(81), "😀".repeat(81), "Ann\u202eeL", "Ann\u0000", "zero\u200bwidth"),
    withLoneSurrogate,
    fc.string({ unit: "grapheme", minLength: 81, maxLength: 200 }).filter((s) => [...s.trim()].length > 80),
  );
  invalidFieldValue.displayName = fc.oneof(badDisplayName, wrongTyped);
  hugeOrOdd.displayName = badDisplayName;

  const defect: fc.Arbitrary<FuzzRequest> = fc.oneof(
    // Huge and odd Unicode in the string fields.
    {
      weight: 3,
      arbitrary: fc.tuple(type, fc.nat()).chain(([t, i]) => {
        const field = stringFields[t][i % stringFields[t].length]!;
        return hugeOrOdd[ruleOf(t, field)]!.map((value) => ({
          kind: `odd ${field}`,
          body: withRawField(JSON.stringify(Object.fromEntries(Object.entries(templates()[t]).filter(([k]) => k !== field))), field, JSON.stringify(value)),
        }));
      }),
    },
    // A field of the wrong type or value.
    fc.tuple(type, fc.nat()).chain(([t, i]) => {
      const fields = Object.keys(templates()[t]);
      const field = fields[i % fields.length]!;
      return (invalidFieldValue[ruleOf(t, field)] ?? wrongTyped).map((value) => ({
        kind: `invalid ${field}`,
        body: withRawField(JSON.stringify(Object.fromEntries(Object.entries(templates()[t]).filter(([k]) => k !== field))), field, JSON.stringify(value)),
      }));
    }),
    // A required field missing.
    fc.tuple(type, fc.nat()).map(([t, i]) => {
      const field = required[t][i % required[t].length]!;
      const body = Object.fromEntries(Object.entries(templates()[t]).filter(([k]) => k !== field));
      return { kind: `missing ${field}`, body: JSON.stringify(body) };
    }),
    // An extra field, prototype keys included.
    fc.tuple(
      type,
      fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "userId", "seq", "eventId", "timestamp", "stream", "position", "Type", "text "), fc.string({ minLength: 1, maxLength: 30 }), oddUnicode),
      fc.jsonValue({ maxDepth: 3 }),
    )
      .filter(([t, key]) => !(key in inputSchemas[t].shape))
      .map(([t, key, value]) => ({ kind: "extra field", body: withRawField(JSON.stringify(templates()[t]), key, JSON.stringify(value) ?? "null") })),
    // Deep nesting, in a field or beside them.
    fc.tuple(type, nested, fc.constantFrom("text", "name", "channelId", "deep")).map(([t, deep, key]) => ({
      kind: "deep nesting",
      body: withRawField(JSON.stringify(Object.fromEntries(Object.entries(templates()[t]).filter(([k]) => k !== key))), key, deep),
    })),
    // Broken JSON: a valid body cut short or with a stray character.
    fc.tuple(type, fc.nat(), fc.constantFrom(",", "}", "{", '"', ":", "\\", "x", "\u0000", "]", "'"), fc.boolean())
      .map(([t, at, char, cut]) => {
        const json = JSON.stringify(templates()[t]);
        const i = at % json.length;
        return { kind: "broken JSON", body: cut ? json.slice(0, i) : `${json.slice(0, i)}${char}${json.slice(i)}` };
      })
      .filter((r) => !parses(r.body as string)),
    fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.constantFrom("", " ", "{", "}", "{}{}", '{"type":"message_sent"', "NaN", "undefined", "{'type':'x'}", "\ufeff\ufeff{}"))
      .filter((s) => !parses(s) || typeof JSON.parse(s) !== "object")
      .map((body) => ({ kind: "not JSON", body })),
    // JSON, but not an object.
    fc.jsonValue().filter((v) => typeof v !== "object" || v === null || Array.isArray(v)).map((v) => ({ kind: "not an object", body: JSON.stringify(v) })),
    // Raw bytes, invalid UTF-8 among them.
    fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => ({ kind: "random bytes", body: bytes })),
    // A valid body with the wrong content type.
    fc.tuple(type, fc.constantFrom("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=iso-8859-1", "application/json-patch+json", "text/json", ""))
      .map(([t, contentType]) => ({ kind: "content type", body: JSON.stringify(templates()[t]), contentType })),
    // A valid body with a bad Idempotency-Key.
    fc.tuple(type, fc.oneof(fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 129, maxLength: 300 }), fc.constantFrom("has space", "tab\there", "x y")))
      .map(([t, idempotencyKey]) => ({ kind: "idempotency key", body: JSON.stringify(templates()[t]), idempotencyKey })),
    // Over 64 KiB.
    fc.tuple(type, fc.integer({ min: 64 * 1024 + 1, max: 200 * 1024 })).map(([t, size]) => {
      const json = JSON.stringify(templates()[t]);
      return { kind: "too large", body: withRawField(json, "padding", JSON.stringify("p".repeat(size))) };
    }),
  );

  let sent = 0;
  const kinds: Record<string, number> = {};
  const statuses: Record<number, number> = {};

  async function send(request: FuzzRequest) {
    const token = tokens[sent++ % accounts]!;
    kinds[request.kind] = (kinds[request.kind] ?? 0) + 1;
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (request.contentType !== "") headers["content-type"] = request.contentType ?? "application/json";
    if (request.idempotencyKey !== undefined) headers["idempotency-key"] = request.idempotencyKey;
    const response = await fetch(`${api}/events`, { method: "POST", headers, body: request.body });
    const text = await response.text();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    return { status: response.status, contentType: response.headers.get("content-type") ?? "", text };
  }

  it(`answers ${runs * batch} invalid requests with a JSON 4xx without internals, and stores nothing`, async () => {
    const db = tableClient(sandbox);
    const before = await tableSnapshot(db);
    const received = sandbox.bus.stats().received;
    await fc.assert(
      fc.asyncProperty(fc.array(defect, { minLength: batch, maxLength: batch }), async (requests) => {
        const answers = await Promise.all(requests.map(send));
        answers.forEach((answer, i) => {
          const what = `${requests[i]!.kind}: ${String(requests[i]!.body).slice(0, 120)}`;
          expect(answer.status, what).to.be.within(400, 499);
          expect(answer.status, `${what} (rate limited)`).to.not.equal(429);
          expect(answer.contentType, what).to.match(/^application\/json/);
          const body = JSON.parse(answer.text) as { error: { code: string; message: string } };
          expect(body.error.code, what).to.be.a("string").and.match(/^[a-z_]+$/);
          expect(body.error.message, what).to.be.a("string");
          expect(answer.text, what).to.not.match(/node_modules|\.ts:\d+|at [\w.<>]+ \(|SyntaxError|ZodError|TypeError/);
          expect(answer.text.length, what).to.be.below(4000);
        });
      }),
      { numRuns: runs, seed: 20_260_611, endOnFailure: true },
    );
    expect(sent).to.equal(runs * batch);
    const after = await tableSnapshot(db);
    expect(after.size).to.equal(before.size);
    expect(after).to.deep.equal(before);
    await sandbox.bus.idle();
    expect(sandbox.bus.stats().received).to.equal(received);
    expect(Object.keys(kinds)).to.have.length.above(15);
    console.log(`      fuzz: ${sent} requests; statuses ${JSON.stringify(statuses)}; kinds ${JSON.stringify(kinds)}`);
  });

  it("refuses a body over 1 MiB at the door (413 JSON)", async () => {
    const answer = await post(api, tokens[0]!, `{"type":"message_sent","text":"${"x".repeat(2 * 1024 * 1024)}"}`);
    expect(answer.status).to.equal(413);
    expect(answer.body.error.code).to.equal("payload_too_large");
  });

  it("never answers 5xx to any view path", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.webPath(),
          fc.string({ unit: "binary", maxLength: 60 }).map(encodeURIComponent),
          fc.constantFrom("channels/%", "channels/%zz", "channels/../../etc/passwd", "users/me/mentions/pages/99999999999", `channels/${channelId.toUpperCase()}`, `channels/${channelId}/pages/-1`, `channels/${channelId}/pages/1e3`, "__proto__", "channels/constructor"),
        ),
        async (path) => {
          const response = await fetch(`${api}/views/${path.replace(/^\/+/, "")}`, { headers: { authorization: `Bearer ${owner.token}` } });
          expect(response.status, path).to.be.below(500);
          await response.text();
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
