/**
 * The hardening of POST /events' parser (functions/http/parseEventRequest.ts), unit by
 * unit; test/security/fuzz.test.ts sends the same kinds of input through the sandbox. Valid
 * requests, generated at the limits and accepted as sent: parseEventRequest.accepts.test.ts.
 */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { expect } from "chai";
import fc from "fast-check";
import { maxDepth, maxDetails, parseEventRequest } from "../../functions/http/parseEventRequest";

const request = (body: string | undefined, headers: Record<string, string> = { "content-type": "application/json" }, base64 = false) =>
  ({ headers, body, isBase64Encoded: base64 }) as unknown as APIGatewayProxyEventV2;
const json = (value: unknown, headers?: Record<string, string>) => request(JSON.stringify(value), headers);
const refusal = (event: APIGatewayProxyEventV2) => {
  const parsed = parseEventRequest(event);
  if (parsed.ok) throw new Error(`accepted: ${JSON.stringify(parsed.input)}`);
  return parsed.error;
};
const message = () => ({ type: "message_sent", channelId: randomUUID(), messageId: randomUUID(), text: "hello" });

describe("POST /events parser: hardening", () => {
  describe("content type (415)", () => {
    for (const contentType of [undefined, "text/plain", "application/x-www-form-urlencoded", "application/jsonx", "application/json; charset=utf-16", "application/json, text/plain", "json"]) {
      it(`refuses ${contentType === undefined ? "no content type" : JSON.stringify(contentType)}`, () => {
        const headers: Record<string, string> = contentType === undefined ? {} : { "content-type": contentType };
        expect(refusal(json(message(), headers))).to.include({ status: 415, code: "unsupported_media_type" });
      });
    }
    for (const contentType of ["application/json", "Application/JSON", 'application/json; charset="UTF-8"', "application/json;charset=utf8", "application/json; foo=bar"]) {
      it(`accepts ${JSON.stringify(contentType)}`, () => {
        expect(parseEventRequest(json(message(), { "Content-Type": contentType })).ok).to.equal(true);
      });
    }
  });

  describe("size (413), before anything is parsed", () => {
    it("refuses 64 KiB + 1 byte even when it is not JSON at all", () => {
      expect(refusal(request("{".repeat(64 * 1024 + 1)))).to.include({ status: 413, code: "payload_too_large" });
    });
    it("counts UTF-8 bytes, not characters", () => {
      const text = "é".repeat(33_000); // 66,000 bytes, 33,000 characters
      expect(refusal(json({ ...message(), text }))).to.include({ status: 413 });
    });
    it("accepts exactly 64 KiB", () => {
      const fields = message();
      const room = 64 * 1024 - JSON.stringify({ ...fields, text: "" }).length;
      const body = JSON.stringify({ ...fields, text: "é".repeat(Math.floor(room / 2)) + "x".repeat(room % 2) });
      expect(Buffer.byteLength(body)).to.equal(64 * 1024);
      expect(parseEventRequest(request(body)).ok).to.equal(true);
    });
    it("sizes a base64 body by its decoded bytes", () => {
      const big = Buffer.from(JSON.stringify({ ...message(), text: "x".repeat(64 * 1024) })).toString("base64");
      expect(refusal(request(big, undefined, true))).to.include({ status: 413 });
      const small = Buffer.from(JSON.stringify(message())).toString("base64");
      expect(parseEventRequest(request(small, undefined, true)).ok).to.equal(true);
    });
  });

  describe("JSON (400 invalid_json)", () => {
    it("says an empty body is empty", () => {
      for (const body of [undefined, "", "  \n "]) expect(refusal(request(body)).message).to.match(/empty/);
    });
    it("gives the position of a syntax error, never the input", () => {
      const error = refusal(request('{"type": "message_sent", "text": "SECRET-INPUT", }'));
      expect(error).to.include({ status: 400, code: "invalid_json" });
      expect(error.message).to.match(/at character \d+/).and.not.include("SECRET");
    });
    it("says when the body ends too soon", () => {
      expect(refusal(request('{"type":')).message).to.match(/ends too soon/);
    });
    it("ignores a leading byte order mark", () => {
      expect(parseEventRequest(request(`\uFEFF${JSON.stringify(message())}`)).ok).to.equal(true);
    });
  });

  describe("shape (400 invalid_body)", () => {
    for (const body of ["[]", "null", "42", '"text"', "true"]) {
      it(`refuses ${body}: not an object`, () => expect(refusal(request(body))).to.include({ status: 400, code: "invalid_body" }));
    }
    it(`refuses nesting deeper than ${maxDepth} levels, however deep, without exhausting the stack`, () => {
      for (const depth of [maxDepth + 1, 10_000, 30_000]) {
        const body = `{"type":"message_sent","text":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
        expect(refusal(request(body)), `depth ${depth}`).to.include({ status: 400, code: "invalid_body" });
      }
    });
  });

  describe("fields (400 invalid_field, unknown_type)", () => {
    it("refuses unknown fields and names the type's fields", () => {
      const error = refusal(json({ ...message(), admin: true }));
      expect(error).to.include({ status: 400, code: "invalid_field" });
      expect(error.details).to.deep.equal([{ field: "admin", message: "is not a field of message_sent (its fields: type, channelId, messageId, text, threadId)" }]);
    });
    it("says in plain words what is wrong, in one sentence, without the event's internal name", () => {
      const error = refusal(json({ ...message(), text: "a".repeat(40_001) }));
      expect(error).to.include({ status: 400, code: "invalid_field", message: "This message is not valid: text must be at most 40000 characters." });
      expect(error.details).to.deep.equal([{ field: "text", message: "must be at most 40000 characters" }]);
      const name = refusal(json({ type: "channel_created", name: "Not A Name" })).message;
      expect(name).to.match(/^This channel is not valid: name /).and.not.match(/channel_created|\.\.$/);
    });
    it("says a missing field is required", () => {
      const error = refusal(json({ type: "message_sent", channelId: randomUUID(), text: "x" }));
      expect(error.details).to.deep.equal([{ field: "messageId", message: "is required" }]);
    });
    it("keeps __proto__, constructor and prototype keys harmless: refused as unknown, nothing polluted", () => {
      const body = `{"type":"channel_created","name":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`;
      const error = refusal(request(body));
      expect(error.code).to.equal("invalid_field");
      expect((error.details as { field: string }[]).map((d) => d.field)).to.have.members(["__proto__", "constructor"]);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      expect(Object.prototype).to.not.have.property("polluted");
    });
    it("refuses a type that is inherited, not own, and prototype-ish types", () => {
      for (const type of ["__proto__", "constructor", "toString", "hasOwnProperty", "user_registered"]) {
        expect(refusal(json({ type })).code, type).to.equal("unknown_type");
      }
      expect(refusal(request('{"__proto__":{"type":"channel_created"},"name":"x"}')).code).to.equal("unknown_type");
    });
    it("refuses text and topics with lone surrogates, and accepts emoji (paired surrogates)", () => {
      for (const bad of ["\ud800", "a\udc00b", "\udbff\udbff", "x\ud83d"]) {
        const error = refusal(json({ ...message(), text: bad }));
        expect(error.details).to.deep.include({ field: "text", message: "must be well-formed Unicode (it holds a lone surrogate)" });
        expect(refusal(json({ type: "channel_created", name: "ok", topic: bad })).code).to.equal("invalid_field");
      }
      expect(parseEventRequest(json({ ...message(), text: "😀 عربى ‮ z̴̡͓ 中文 \u0000" })).ok).to.equal(true);
    });
    it(`lists at most ${maxDetails} problems, and cuts long or odd field names`, () => {
      const extra = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${"k".repeat(200)}${i}\u0001`, i]));
      const error = refusal(json({ ...message(), ...extra }));
      const details = error.details as { field: string }[];
      expect(details).to.have.length(maxDetails);
      for (const d of details) expect(d.field.length).to.be.at.most(65);
      expect(error.message).to.match(/and 40 more\.$/);
    });
    it("lowercases UUIDs, so an uppercase one names the same channel and message", () => {
      const channelId = randomUUID();
      const parsed = parseEventRequest(json({ ...message(), channelId: channelId.toUpperCase() }));
      expect(parsed.ok && parsed.input).to.include({ channelId });
    });
    it("lowercases a reply's threadId too, so an uppercase one names the same thread", () => {
      const threadId = randomUUID();
      const parsed = parseEventRequest(json({ ...message(), threadId: threadId.toUpperCase() }));
      expect(parsed.ok && parsed.input).to.include({ threadId });
    });
  });

  describe("any input (properties)", () => {
    const headers = fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 }), { maxKeys: 5 });
    it("never throws and answers 4xx or a valid input, whatever the body, headers and encoding", () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), headers, fc.boolean(), (body, extra, base64) => {
          const parsed = parseEventRequest(request(body, { "content-type": "application/json", ...extra }, base64));
          if (!parsed.ok) expect(parsed.error.status).to.be.within(400, 499);
        }),
        { numRuns: 2000 },
      );
    });
    it("never throws on objects of the right type with anything in their fields", () => {
      const types = ["channel_created", "user_joined_channel", "user_left_channel", "message_sent", "message_edited", "message_deleted"];
      fc.assert(
        fc.property(fc.constantFrom(...types), fc.dictionary(fc.constantFrom("channelId", "messageId", "text", "name", "topic", "private", "memberId", "x"), fc.jsonValue()), (type, fields) => {
          const parsed = parseEventRequest(json({ ...fields, type }));
          if (!parsed.ok) expect(parsed.error.status).to.equal(400);
        }),
        { numRuns: 2000 },
      );
    });
  });
});
