/**
 * POST /events end to end: the real handlers behind the sandbox's front door, against
 * dynalite, s3rver (with conditional writes), cognito-local and the EventBridge stand-in.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { startSandbox } from "../../infra/local";
import { type Person, post, signUp, view } from "../support/chatApi";

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

describe("POST /events through the sandbox", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let dataDir: string;
  let api: string;
  let alice: Person;
  let bob: Person;
  let general: string;

  const storedItems = async () => {
    const db = new DynamoDBClient({ endpoint: sandbox.urls.dynamodb, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    const scan = await db.send(new ScanCommand({ TableName: "chat-events", Select: "COUNT" }));
    return scan.Count ?? 0;
  };

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "chat-store-"));
    sandbox = await startSandbox({ dataDir, port: 0, cognitoPort: 0 });
    api = sandbox.urls.api;
    [alice, bob] = await Promise.all([signUp(sandbox.urls.cognito, sandbox.clientId, "Alice"), signUp(sandbox.urls.cognito, sandbox.clientId, "Bob")]);
    const created = await post(api, alice.token, { type: "channel_created", name: "general", topic: "Everything" });
    expect(created.status).to.equal(202);
    general = created.body.stream.replace(/^channel-/, "");
    await sandbox.bus.idle();
  });

  after(async () => {
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("records user_registered on sign-up, so the users directory and users/me know each person", async () => {
    const users = await view(api, bob.token, "users");
    expect(users.body.users).to.deep.include.members([{ userId: alice.userId, name: "Alice" }, { userId: bob.userId, name: "Bob" }]);
    const me = await view(api, alice.token, "users/me");
    expect(me.body).to.deep.equal({ userId: alice.userId, name: "Alice", channels: [general], readMarks: {} });
  });

  it("answers 202 with eventId, stream, seq and an ISO timestamp", async () => {
    const answer = await post(api, alice.token, { type: "message_sent", channelId: general, messageId: randomUUID(), text: "  hello  " });
    expect(answer.status).to.equal(202);
    expect(answer.body).to.have.keys("eventId", "stream", "seq", "timestamp");
    expect(answer.body.stream).to.equal(`channel-${general}`);
    expect(new Date(answer.body.timestamp).toISOString()).to.equal(answer.body.timestamp);
  });

  const bad: [string, number, string, () => Promise<Awaited<ReturnType<typeof post>>>][] = [
    ["no token", 401, "unauthorized", () => post(api, undefined, { type: "channel_created", name: "x1" })],
    ["a garbage token", 401, "unauthorized", () => post(api, "not.a.jwt", { type: "channel_created", name: "x2" })],
    ["a body that is not JSON", 400, "invalid_json", () => post(api, alice.token, "{nope")],
    ["a JSON array", 400, "invalid_body", () => post(api, alice.token, "[]")],
    ["an unknown type", 400, "unknown_type", () => post(api, alice.token, { type: "channel_archived" })],
    ["user_registered from a client", 400, "unknown_type", () => post(api, alice.token, { type: "user_registered", name: "Eve" })],
    ["a name with capitals", 400, "invalid_field", () => post(api, alice.token, { type: "channel_created", name: "General" })],
    ["a name of 81 characters", 400, "invalid_field", () => post(api, alice.token, { type: "channel_created", name: "a".repeat(81) })],
    ["a name without letter or digit", 400, "invalid_field", () => post(api, alice.token, { type: "channel_created", name: "-_-" })],
    ["a topic of 251 characters", 400, "invalid_field", () => post(api, alice.token, { type: "channel_created", name: "topical", topic: "t".repeat(251) })],
    ["an unknown field", 400, "invalid_field", () => post(api, alice.token, { type: "channel_created", name: "extra", admin: true })],
    ["a channelId that is no UUID", 400, "invalid_field", () => post(api, alice.token, { type: "message_sent", channelId: "general", messageId: randomUUID(), text: "x" })],
    ["a blank text", 400, "invalid_field", () => post(api, alice.token, { type: "message_sent", channelId: general, messageId: randomUUID(), text: " \n\t " })],
    ["a text of 40,001 characters", 400, "invalid_field", () => post(api, alice.token, { type: "message_sent", channelId: general, messageId: randomUUID(), text: "a".repeat(40_001) })],
    ["a body over 64 KiB", 413, "payload_too_large", () => post(api, alice.token, { type: "message_sent", channelId: general, messageId: randomUUID(), text: "a".repeat(66_000) })],
    ["a body that is not JSON by content type", 415, "unsupported_media_type", () => post(api, alice.token, "{}", { "content-type": "text/plain" })],
    ["an Idempotency-Key of 129 characters", 400, "invalid_idempotency_key", () => post(api, alice.token, { type: "channel_created", name: "k129" }, { "idempotency-key": "k".repeat(129) })],
    ["a message to no such channel", 404, "channel_not_found", () => post(api, alice.token, { type: "message_sent", channelId: randomUUID(), messageId: randomUUID(), text: "x" })],
    ["a message from a non-member", 403, "not_member", () => post(api, bob.token, { type: "message_sent", channelId: general, messageId: randomUUID(), text: "x" })],
    ["a taken channel name", 409, "name_taken", () => post(api, bob.token, { type: "channel_created", name: "general" })],
    ["an edit of no such message", 404, "message_not_found", () => post(api, alice.token, { type: "message_edited", channelId: general, messageId: randomUUID(), text: "x" })],
  ];
  for (const [what, status, code, send] of bad) {
    it(`answers ${status} ${code} for ${what}, as JSON, and stores nothing`, async () => {
      const before = await storedItems();
      const answer = await send();
      expect(answer.status).to.equal(status);
      expect(answer.body.error).to.include({ code });
      expect(answer.body.error.message).to.be.a("string").and.not.match(/at .*\.ts:\d+/);
      expect(await storedItems()).to.equal(before);
    });
  }

  it("refuses a private channel to self-joiners (403) and hides it from them in views", async () => {
    const secret = await post(api, alice.token, { type: "channel_created", name: "secret", private: true });
    const id = secret.body.stream.replace(/^channel-/, "");
    expect((await post(api, bob.token, { type: "user_joined_channel", channelId: id })).status).to.equal(403);
    await sandbox.bus.idle();
    expect((await view(api, bob.token, `channels/${id}`)).status).to.equal(403);
    expect((await view(api, bob.token, "channels")).body.channels.map((c: { name: string }) => c.name)).to.not.include("secret");
    expect((await view(api, alice.token, "channels")).body.channels.map((c: { name: string }) => c.name)).to.include("secret");
  });

  it("accepts 50 concurrent messages into one channel, each once, in seq order in the views", async () => {
    const created = await post(api, alice.token, { type: "channel_created", name: "busy" });
    const id = created.body.stream.replace(/^channel-/, "");
    const ids = Array.from({ length: 50 }, () => randomUUID());
    const answers = await Promise.all(ids.map((messageId, i) => post(api, alice.token, { type: "message_sent", channelId: id, messageId, text: `m${i}` })));
    expect(answers.map((a) => a.status)).to.deep.equal(answers.map(() => 202));
    await sandbox.bus.idle();
    const head = (await view(api, alice.token, `channels/${id}`)).body;
    expect(head).to.include({ messageCount: 50, lastSeq: 51, pageCount: 1, pageSize: 50 });
    const page = (await view(api, alice.token, `channels/${id}/pages/0`)).body;
    const seqs = page.messages.map((m: { seq: number }) => m.seq);
    expect(seqs).to.deep.equal([...seqs].sort((a: number, b: number) => a - b));
    expect(new Set(page.messages.map((m: { messageId: string }) => m.messageId))).to.deep.equal(new Set(ids));
    expect(seqs).to.deep.equal(answers.map((a) => a.body.seq).sort((a, b) => a - b));
  });

  it("lets the author edit and delete, shows (edited) data and tombstones, and refuses others (403)", async () => {
    await post(api, bob.token, { type: "user_joined_channel", channelId: general });
    const messageId = randomUUID();
    await post(api, alice.token, { type: "message_sent", channelId: general, messageId, text: "draft" });
    expect((await post(api, bob.token, { type: "message_edited", channelId: general, messageId, text: "mine now" })).status).to.equal(403);
    expect((await post(api, alice.token, { type: "message_edited", channelId: general, messageId, text: "final" })).status).to.equal(202);
    await sandbox.bus.idle();
    let page = (await view(api, bob.token, `channels/${general}/pages/0`)).body;
    expect(page.messages.find((m: { messageId: string }) => m.messageId === messageId)).to.include({ text: "final", userId: alice.userId }).and.have.property("editedAt");
    expect((await post(api, alice.token, { type: "message_deleted", channelId: general, messageId })).status).to.equal(202);
    await sandbox.bus.idle();
    page = (await view(api, bob.token, `channels/${general}/pages/0`)).body;
    expect(page.messages.find((m: { messageId: string }) => m.messageId === messageId)).to.include({ text: "", deleted: true });
  });

  it("answers a retry with the same Idempotency-Key with the first answer and stores nothing new", async () => {
    const body = { type: "message_sent", channelId: general, messageId: randomUUID(), text: "once" };
    const first = await post(api, alice.token, body, { "idempotency-key": "retry-1" });
    const before = await storedItems();
    const again = await post(api, alice.token, body, { "idempotency-key": "retry-1" });
    expect(again.status).to.equal(202);
    expect(again.body).to.deep.equal(first.body);
    expect(await storedItems()).to.equal(before);
    const reused = await post(api, alice.token, { ...body, text: "other" }, { "idempotency-key": "retry-1" });
    expect(reused.status).to.equal(409);
    expect(reused.body.error.code).to.equal("idempotency_key_reused");
  });

  it("answers 404 for a view that does not exist yet, and for pages past the end", async () => {
    expect((await view(api, alice.token, `channels/${randomUUID()}`)).status).to.equal(404);
    expect((await view(api, alice.token, `channels/${general}/pages/99`)).status).to.equal(404);
    expect((await view(api, alice.token, "nothing/here")).status).to.equal(404);
  });
});
