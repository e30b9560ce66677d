/**
 * CONTRACT §13 incoming webhooks through the sandbox: created by the app's creator for a
 * channel they are in; the official `@slack/webhook` client posts to the URL with no other
 * credential, and the text appears as the bot's message on the channel's page and on
 * another member's socket; `thread_ts` replies. Refusals store nothing.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { IncomingWebhook } from "@slack/webhook";
import { expect } from "chai";
import type { Sandbox } from "../../infra/local";
import { rateLimiter } from "../../functions/webhook/handler";
import { type CreatedApp, createApp, createWebhook, deleteApp, listApps, postToWebhook } from "../support/appsApi";
import { type Person, post, signUp, view } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { listen, pushedWhere } from "../support/socket";

interface PageMessage {
  seq: number;
  userId: string;
  text: string;
  sentAt: string;
  replyCount?: number;
}

describe("incoming webhooks (CONTRACT §13) through the sandbox", function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let api: string;
  let ann: Person;
  let ben: Person;
  let cat: Person;
  let app: CreatedApp;
  let channelId: string;
  let url: string;

  const storedEvents = async () => {
    const db = new DynamoDBClient({ endpoint: sandbox.urls.dynamodb, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    const scan = await db.send(new ScanCommand({ TableName: "chat-events", ProjectionExpression: "pk, sk" }));
    return (scan.Items ?? []).filter((i) => /^(channel|user)-/.test(i.pk?.S ?? "") && Number(i.sk?.N) > 0).length;
  };
  const refusedWith = async (status: number, answer: string, send: () => Promise<{ status: number; text: string; headers: Headers }>) => {
    const before = await storedEvents();
    const got = await send();
    expect({ status: got.status, text: got.text }).to.deep.equal({ status, text: answer });
    await sandbox.bus.idle();
    expect(await storedEvents(), "a refused post stores nothing").to.equal(before);
    return got;
  };
  const page = async () => {
    await sandbox.bus.idle();
    return (await view(api, ben.token, `channels/${channelId}/pages/0`)).body.messages as PageMessage[];
  };

  before(async () => {
    sandbox = await startTestSandbox();
    api = sandbox.urls.api;
    [ann, ben, cat] = (await Promise.all(["Ann", "Ben", "Cat"].map((n) => signUp(sandbox.urls.cognito, sandbox.clientId, n)))) as [Person, Person, Person];
    app = (await createApp(api, ann.token, { name: "CI" })).body as CreatedApp;
    const created = await post(api, ann.token, { type: "channel_created", name: "deploys", private: true });
    channelId = created.body.stream.slice("channel-".length);
    expect((await post(api, ann.token, { type: "user_joined_channel", channelId, memberId: ben.userId })).status).to.equal(202);
  });
  after(() => disposeTestSandbox(sandbox));

  it("is created only by the app's creator, for a channel the creator is in", async () => {
    expect((await createWebhook(api, ben.token, app.appId, { channelId })).status).to.equal(403);
    const other = (await createApp(api, cat.token, { name: "Cat's" })).body as CreatedApp;
    expect((await createWebhook(api, cat.token, other.appId, { channelId })).status, "Cat is not in the private channel").to.equal(403);
    expect((await createWebhook(api, ann.token, app.appId, { channelId: "nope" })).status).to.equal(400);
    expect((await createWebhook(api, ann.token, randomUUID(), { channelId })).status).to.equal(404);
    expect((await createWebhook(api, ann.token, app.appId, { channelId: randomUUID() })).status).to.equal(404);
  });

  it("answers 201 with its id and a URL, and adds the bot to the channel through the store", async () => {
    const answer = await createWebhook(api, ann.token, app.appId, { channelId });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    const body = answer.body as { webhookId: string; url: string; channelId: string };
    expect(body.url).to.match(new RegExp(`^${api}/hooks/${body.webhookId}/[A-Za-z0-9_-]{43}$`));
    url = body.url;
    await sandbox.bus.idle();
    expect((await view(api, ann.token, `channels/${channelId}`)).body.members).to.include(app.botUserId);
    const listed = ((await listApps(api, ann.token)).body as { apps: { webhooks: { webhookId: string; channelId: string }[] }[] }).apps[0]!;
    expect(listed.webhooks.map((w) => [w.webhookId, w.channelId])).to.deep.equal([[body.webhookId, channelId]]);
    expect(JSON.stringify(listed)).to.not.include(url.split("/").pop());
  });

  it("@slack/webhook's IncomingWebhook posts a message as the bot: on the channel's page and on another member's socket", async () => {
    const socket = await listen(sandbox, ben.token);
    try {
      const result = await new IncomingWebhook(url).send({ text: "Deployed *v1.2.3* to prod" });
      expect(result.text).to.equal("ok");
      const pushed = await pushedWhere(socket.received, (p) => p.event.type === "message_sent" && p.event.text === "Deployed *v1.2.3* to prod");
      expect(pushed.event.userId).to.equal(app.botUserId);
      const messages = await page();
      expect(messages.map((m) => [m.userId, m.text])).to.deep.equal([[app.botUserId, "Deployed *v1.2.3* to prod"]]);
    } finally {
      socket.ws.close();
    }
  });

  it("replies in a thread when thread_ts names a message (ts: seconds.seq of the message's event)", async () => {
    const [root] = await page();
    const ts = `${Math.floor(Date.parse(root!.sentAt) / 1000)}.${String(root!.seq).padStart(6, "0")}`;
    // Slack's webhooks take thread_ts; the client's type leaves it out, and it sends what it is given.
    const reply = { text: "rolled back", thread_ts: ts };
    expect((await new IncomingWebhook(url).send(reply)).text).to.equal("ok");
    const messages = await page();
    expect(messages).to.have.length(1);
    expect(messages[0]!.replyCount).to.equal(1);
    const rootId = ((await view(api, ben.token, `channels/${channelId}/pages/0`)).body.messages as { messageId: string }[])[0]!.messageId;
    const thread = (await view(api, ben.token, `channels/${channelId}/threads/${rootId}/pages/0`)).body.messages as PageMessage[];
    expect(thread.map((m) => [m.userId, m.text])).to.deep.equal([[app.botUserId, "rolled back"]]);
  });

  it("takes Slack's form-encoded payload, and the text of attachments when there is no text", async () => {
    const form = `payload=${encodeURIComponent(JSON.stringify({ text: "from a form" }))}`;
    expect((await postToWebhook(url, form, "application/x-www-form-urlencoded")).text).to.equal("ok");
    expect((await postToWebhook(url, JSON.stringify({ attachments: [{ title: "[FIRING:1] HighLatency", text: "p99 over 2 s" }] }))).text).to.equal("ok");
    const texts = (await page()).map((m) => m.text);
    expect(texts.slice(-2)).to.deep.equal(["from a form", "[FIRING:1] HighLatency\np99 over 2 s"]);
  });

  it("refuses bad payloads with 400 invalid_payload or no_text, storing nothing", async () => {
    await refusedWith(400, "invalid_payload", () => postToWebhook(url, "{not json"));
    await refusedWith(400, "invalid_payload", () => postToWebhook(url, "[1, 2]"));
    await refusedWith(400, "invalid_payload", () => postToWebhook(url, JSON.stringify({ text: "x".repeat(70_000) })));
    await refusedWith(400, "invalid_payload", () => postToWebhook(url, JSON.stringify({ text: "in no thread", thread_ts: "1700000000.999999" })));
    await refusedWith(400, "no_text", () => postToWebhook(url, JSON.stringify({ text: "   " })));
    await refusedWith(400, "no_text", () => postToWebhook(url, JSON.stringify({ username: "ci", icon_emoji: ":robot_face:" })));
  });

  it("answers 404 no_service for an unknown webhook or a wrong secret, storing nothing", async () => {
    const [webhookId, secret] = url.split("/").slice(-2) as [string, string];
    await refusedWith(404, "no_service", () => postToWebhook(`${api}/hooks/${randomUUID()}/${secret}`, JSON.stringify({ text: "hi" })));
    const wrong = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    await refusedWith(404, "no_service", () => postToWebhook(`${api}/hooks/${webhookId}/${wrong}`, JSON.stringify({ text: "hi" })));
  });

  it("limits each bot to the store's rate: 429 with Retry-After past it, storing nothing", async () => {
    const now = Date.now();
    rateLimiter.clock = () => now;
    try {
      // A burst of the bot's: the bucket holds 60; take what is left of it.
      while (rateLimiter.take(app.botUserId).allowed);
      const refused = await refusedWith(429, "rate_limited", () => postToWebhook(url, JSON.stringify({ text: "one too many" })));
      expect(Number(refused.headers.get("retry-after"))).to.be.at.least(1);
    } finally {
      rateLimiter.clock = Date.now;
      rateLimiter.reset();
    }
    expect((await postToWebhook(url, JSON.stringify({ text: "after the burst" }))).text).to.equal("ok");
  });

  it("rejoins a public channel it was removed from, as anyone may, through the store's own join", async () => {
    const publicId = (await post(api, ann.token, { type: "channel_created", name: "builds" })).body.stream.slice("channel-".length) as string;
    const hook = ((await createWebhook(api, ann.token, app.appId, { channelId: publicId })).body as { url: string }).url;
    expect((await post(api, ann.token, { type: "user_left_channel", channelId: publicId, memberId: app.botUserId })).status).to.equal(202);
    expect((await postToWebhook(hook, JSON.stringify({ text: "build 7 green" }))).text).to.equal("ok");
    await sandbox.bus.idle();
    const head = (await view(api, ann.token, `channels/${publicId}`)).body as { members: string[] };
    expect(head.members).to.include(app.botUserId);
  });

  it("is refused once a member removed the bot from the private channel (403 action_prohibited), alike whatever thread_ts names, storing nothing", async () => {
    const [root] = await page();
    const ts = `${Math.floor(Date.parse(root!.sentAt) / 1000)}.${String(root!.seq).padStart(6, "0")}`;
    expect((await post(api, ann.token, { type: "user_left_channel", channelId, memberId: app.botUserId })).status).to.equal(202);
    await refusedWith(403, "action_prohibited", () => postToWebhook(url, JSON.stringify({ text: "still here?" })));
    await refusedWith(403, "action_prohibited", () => postToWebhook(url, JSON.stringify({ text: "a reply", thread_ts: ts })));
    await refusedWith(403, "action_prohibited", () => postToWebhook(url, JSON.stringify({ text: "a probe", thread_ts: "1700000000.000002" })));
    expect((await post(api, ann.token, { type: "user_joined_channel", channelId, memberId: app.botUserId })).status).to.equal(202);
  });

  it("answers 404 once its app is revoked, storing nothing", async () => {
    expect((await deleteApp(api, ann.token, app.appId)).status).to.equal(204);
    await refusedWith(404, "no_service", () => postToWebhook(url, JSON.stringify({ text: "after the revoke" })));
    const hook = new IncomingWebhook(url);
    let failed: unknown;
    await hook.send({ text: "also refused" }).catch((error: unknown) => (failed = error));
    expect(failed, "the official client sees the refusal").to.be.instanceOf(Error);
  });
});
