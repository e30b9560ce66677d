import { expect } from "chai";
import { intArg, maxArgsBytes, parseArgs } from "../../functions/slack/args";

const request = (body: string | undefined, contentType?: string, rawQueryString = "") => ({
  body,
  isBase64Encoded: false,
  rawQueryString,
  headers: contentType === undefined ? {} : { "Content-Type": contentType },
});

describe("Slack method arguments", () => {
  it("reads a form body as @slack/web-api sends it", () => {
    const parsed = parseArgs(request("channel=c1&text=Deploy%20%2Adone%2A%20%F0%9F%8E%89&thread_ts=1700000000.000001", "application/x-www-form-urlencoded"));
    expect(parsed).to.deep.equal({ ok: true, args: { channel: "c1", text: "Deploy *done* 🎉", thread_ts: "1700000000.000001" } });
  });

  it("reads a JSON body, printing numbers and booleans and keeping objects as JSON, dropping nulls", () => {
    const parsed = parseArgs(request(JSON.stringify({ channel: "c1", limit: 5, inclusive: true, blocks: [{ type: "divider" }], cursor: null }), "application/json; charset=utf-8"));
    expect(parsed).to.deep.equal({ ok: true, args: { channel: "c1", limit: "5", inclusive: "true", blocks: '[{"type":"divider"}]' } });
  });

  it("reads the query string too, the body winning where both name an argument", () => {
    const parsed = parseArgs(request("text=from%20body", "application/x-www-form-urlencoded", "channel=c1&text=from%20query"));
    expect(parsed).to.deep.equal({ ok: true, args: { channel: "c1", text: "from body" } });
    expect(parseArgs(request(undefined, undefined, "user=u1"))).to.deep.equal({ ok: true, args: { user: "u1" } });
  });

  it("decodes a base64 body as API Gateway may pass it", () => {
    const body = Buffer.from("channel=c1").toString("base64");
    expect(parseArgs({ ...request(body, "application/x-www-form-urlencoded"), isBase64Encoded: true })).to.deep.equal({ ok: true, args: { channel: "c1" } });
  });

  it("refuses what is not arguments with Slack's error names", () => {
    expect(parseArgs(request("{", "application/json"))).to.deep.equal({ ok: false, error: "invalid_json" });
    expect(parseArgs(request("[1,2]", "application/json"))).to.deep.equal({ ok: false, error: "json_not_object" });
    expect(parseArgs(request("channel=c1", "text/xml"))).to.deep.equal({ ok: false, error: "invalid_post_type" });
    expect(parseArgs(request("channel=c1", "application/x-www-form-urlencoded; charset=latin1"))).to.deep.equal({ ok: false, error: "invalid_charset" });
    expect(parseArgs(request(`text=${"x".repeat(maxArgsBytes)}`, "application/x-www-form-urlencoded"))).to.deep.equal({ ok: false, error: "request_too_large" });
  });

  it("never gives a JSON key a prototype's meaning", () => {
    const parsed = parseArgs(request('{"__proto__": {"admin": true}, "channel": "c1"}', "application/json"));
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok) return;
    expect(parsed.args.channel).to.equal("c1");
    expect((parsed.args as Record<string, unknown>).admin).to.equal(undefined);
  });

  it("takes a limit within its bounds, its default for none or 0, and refuses one that is not a whole number", () => {
    const range = { min: 1, max: 200, fallback: 100 };
    expect(intArg({}, "limit", range)).to.equal(100);
    expect(intArg({ limit: "0" }, "limit", range)).to.equal(100);
    expect(intArg({ limit: "15" }, "limit", range)).to.equal(15);
    expect(intArg({ limit: "5000" }, "limit", range)).to.equal(200);
    for (const bad of ["many", "-1", "1.5", "1e3"]) expect(intArg({ limit: bad }, "limit", range), bad).to.deep.equal({ error: "invalid_limit" });
  });
});
