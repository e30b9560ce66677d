/**
 * CONTRACT §13's refusals through the sandbox: each answers HTTP 200 with Slack's error name
 * (the official client turns it into a platform error), except `ratelimited` (429 with
 * Retry-After), and none stores anything.
 */
import { expect } from "chai";
import type { WebClient } from "@slack/web-api";
import { handler, rateLimiter, type SlackRequest } from "../../functions/slack/handler";
import type { Sandbox } from "../../infra/local";
import { type Person, post, signUp } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { rawSlackCall, slackClient, slackErrorOf } from "../support/slackApi";
import { tableClient, tableSnapshot } from "../faults/support";

describe("Slack Web API refusals (CONTRACT §13)", function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let ann: Person;
  let eve: Person;
  let general: string;
  let secret: string;
  let annTs: string;
  let eveSlack: WebClient;
  const api = () => sandbox.urls.api;
  const channelOf = (answer: { body: { stream: string } }) => answer.body.stream.slice("channel-".length);
  /** Runs `refusals` and checks the event table is as it was: a refused call stores nothing. */
  const storesNothing = async (refusals: () => Promise<void>) => {
    await sandbox.bus.idle();
    const before = await tableSnapshot(tableClient(sandbox));
    await refusals();
    await sandbox.bus.idle();
    expect(await tableSnapshot(tableClient(sandbox))).to.deep.equal(before);
  };

  before(async () => {
    sandbox = await startTestSandbox();
    [ann, eve] = (await Promise.all(["Ann", "Eve"].map((n) => signUp(sandbox.urls.cognito, sandbox.clientId, n)))) as [Person, Person];
    general = channelOf(await post(api(), ann.token, { type: "channel_created", name: "general" }));
    secret = channelOf(await post(api(), ann.token, { type: "channel_created", name: "secret", private: true }));
    const annSlack = slackClient(api(), ann.token);
    annTs = (await annSlack.chat.postMessage({ channel: general, text: "mine" })).ts!;
    await annSlack.chat.postMessage({ channel: secret, text: "hush" });
    eveSlack = slackClient(api(), eve.token);
    await eveSlack.conversations.join({ channel: general });
  });
  after(() => disposeTestSandbox(sandbox));

  it("answers not_authed without a token and invalid_auth with a bad one, HTTP 200 as Slack does", async () => {
    await storesNothing(async () => {
      expect(await slackErrorOf(slackClient(api(), undefined).chat.postMessage({ channel: general, text: "hi" }))).to.equal("not_authed");
      expect(await slackErrorOf(slackClient(api(), "xoxb-not-a-token").chat.postMessage({ channel: general, text: "hi" }))).to.equal("invalid_auth");
      const raw = await rawSlackCall(api(), "auth.test", { token: `${ann.token}x` });
      expect([raw.status, raw.body]).to.deep.equal([200, { ok: false, error: "invalid_auth" }]);
    });
  });

  it("takes the caller from a Lambda authorizer's context (bot tokens) as from a JWT's sub", async () => {
    // The sandbox's handlers run in this process with its environment: the handler is called as API Gateway would with a Lambda authorizer.
    const event = {
      version: "2.0",
      routeKey: "POST /slack/{method}",
      rawPath: "/slack/auth.test",
      rawQueryString: "",
      headers: { authorization: "Bearer xoxb-checked-by-the-authorizer", "content-type": "application/x-www-form-urlencoded" },
      pathParameters: { method: "auth.test" },
      body: "",
      isBase64Encoded: false,
      requestContext: { domainName: "api.example.com", authorizer: { lambda: { userId: eve.userId } } },
    } as unknown as SlackRequest;
    const answer = await handler(event);
    expect(answer.statusCode).to.equal(200);
    expect(JSON.parse(answer.body!)).to.deep.include({ ok: true, user_id: eve.userId, url: "https://api.example.com/" });
  });

  it("keeps private channels out of sight: channel_not_found for every method, as for one that does not exist", async () => {
    await sandbox.bus.idle();
    const outsider = await post(api(), eve.token, { type: "channel_created", name: "elsewhere" });
    expect(outsider.status).to.equal(202);
    await storesNothing(async () => {
      for (const channel of [secret, "00000000-0000-4000-8000-000000000000"]) {
        expect(await slackErrorOf(eveSlack.chat.postMessage({ channel, text: "hi" })), channel).to.equal("channel_not_found");
        expect(await slackErrorOf(eveSlack.conversations.info({ channel }))).to.equal("channel_not_found");
        expect(await slackErrorOf(eveSlack.conversations.history({ channel }))).to.equal("channel_not_found");
        expect(await slackErrorOf(eveSlack.conversations.replies({ channel, ts: annTs }))).to.equal("channel_not_found");
        expect(await slackErrorOf(eveSlack.conversations.join({ channel }))).to.equal("channel_not_found");
        expect(await slackErrorOf(eveSlack.reactions.add({ channel, timestamp: "1700000000.000004", name: "eyes" }))).to.equal("channel_not_found");
      }
      const list = await eveSlack.conversations.list({ types: "public_channel,private_channel,im,mpim" });
      expect(list.channels?.map((c) => c.name).sort()).to.deep.equal(["elsewhere", "general"]);
    });
  });

  it("answers not_in_channel to a post in a public channel one has not joined", async () => {
    const open = channelOf(await post(api(), ann.token, { type: "channel_created", name: "open" }));
    await storesNothing(async () => {
      expect(await slackErrorOf(eveSlack.chat.postMessage({ channel: open, text: "hi" }))).to.equal("not_in_channel");
    });
  });

  it("refuses oversized, empty and malformed arguments, another's message, unknown ts values and methods", async () => {
    await storesNothing(async () => {
      expect(await slackErrorOf(eveSlack.chat.postMessage({ channel: general, text: "x".repeat(40_001) }))).to.equal("msg_too_long");
      expect(await slackErrorOf(eveSlack.chat.postMessage({ channel: general, text: "   " }))).to.equal("no_text");
      expect(await slackErrorOf(eveSlack.apiCall("chat.postMessage", { channel: general }))).to.equal("no_text");
      expect(await slackErrorOf(eveSlack.chat.postMessage({ channel: "general", text: "hi" }))).to.equal("channel_not_found");
      expect(await slackErrorOf(eveSlack.chat.postMessage({ channel: general, text: "hi", thread_ts: "1700000000.999999" }))).to.equal("message_not_found");
      expect(await slackErrorOf(eveSlack.chat.update({ channel: general, ts: annTs, text: "mine now" }))).to.equal("cant_update_message");
      expect(await slackErrorOf(eveSlack.chat.delete({ channel: general, ts: annTs }))).to.equal("cant_delete_message");
      expect(await slackErrorOf(eveSlack.chat.update({ channel: general, ts: "not-a-ts", text: "x" }))).to.equal("message_not_found");
      const [seconds, seq] = annTs.split(".") as [string, string];
      expect(await slackErrorOf(eveSlack.reactions.add({ channel: general, timestamp: `${Number(seconds) - 1}.${seq}`, name: "eyes" })), "the seq of a message, another second").to.equal("message_not_found");
      expect(await slackErrorOf(eveSlack.reactions.add({ channel: general, timestamp: annTs, name: "Not An Emoji" }))).to.equal("invalid_name");
      expect(await slackErrorOf(eveSlack.conversations.history({ channel: general, limit: "many" as unknown as number }))).to.equal("invalid_limit");
      expect(await slackErrorOf(eveSlack.conversations.history({ channel: general, cursor: "forged" }))).to.equal("invalid_cursor");
      expect(await slackErrorOf(eveSlack.apiCall("chat.scheduleMessage", { channel: general, text: "later" }))).to.equal("unknown_method");
      const notObject = await rawSlackCall(api(), "chat.postMessage", { token: eve.token, contentType: "application/json", body: "[1]" });
      expect([notObject.status, notObject.body]).to.deep.equal([200, { ok: false, error: "json_not_object" }]);
      const badJson = await rawSlackCall(api(), "chat.postMessage", { token: eve.token, contentType: "application/json", body: "{" });
      expect([badJson.status, badJson.body]).to.deep.equal([200, { ok: false, error: "invalid_json" }]);
      const oversized = await rawSlackCall(api(), "chat.postMessage", { token: eve.token, contentType: "application/x-www-form-urlencoded", body: `channel=${general}&text=${"x".repeat(600_000)}` });
      expect([oversized.status, oversized.body]).to.deep.equal([200, { ok: false, error: "request_too_large" }]);
    });
  });

  it("takes arguments as JSON too", async () => {
    const answer = await rawSlackCall(api(), "chat.postMessage", { token: eve.token, contentType: "application/json; charset=utf-8", body: JSON.stringify({ channel: general, text: "from JSON" }) });
    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.include({ ok: true, channel: general });
    expect(answer.body.message).to.deep.include({ text: "from JSON", user: eve.userId });
  });

  describe("rate limit", () => {
    const original = rateLimiter.clock;
    afterEach(() => {
      rateLimiter.clock = original;
      rateLimiter.reset();
    });

    it("lets the store's burst of 60 through, then answers ratelimited with 429 and Retry-After, storing nothing", async () => {
      // The sandbox runs this very module: its clock stopped, the test does not depend on speed.
      const now = Date.now();
      rateLimiter.reset(); // a full bucket, whatever the tests before took
      rateLimiter.clock = () => now;
      const client = slackClient(api(), eve.token, { rejectRateLimitedCalls: true });
      const answers = await Promise.all(Array.from({ length: 60 }, () => slackErrorOf(client.auth.test())));
      expect(answers.every((a) => a === "ok")).to.equal(true);
      await storesNothing(async () => {
        const refused = await client.chat.postMessage({ channel: general, text: "one too many" }).then(
          () => undefined,
          (error: { code?: string; retryAfter?: number }) => error,
        );
        expect(refused).to.deep.include({ code: "slack_webapi_rate_limited_error", retryAfter: 1 });
        const raw = await rawSlackCall(api(), "chat.postMessage", { token: eve.token, contentType: "application/x-www-form-urlencoded", body: `channel=${general}&text=again` });
        expect([raw.status, raw.headers.get("retry-after"), raw.body]).to.deep.equal([429, "1", { ok: false, error: "ratelimited" }]);
      });
      rateLimiter.clock = () => now + 50; // one token back
      expect(await slackErrorOf(client.auth.test())).to.equal("ok");
    });
  });
});
