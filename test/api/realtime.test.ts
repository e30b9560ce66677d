/** CONTRACT §6 end to end: the notify projection pushing through the sandbox's WebSocket API. */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import WebSocket from "ws";
import { startSandbox } from "../../infra/local";
import { type Person, post, signUp } from "../support/chatApi";
import { listen, pushedWhere } from "../support/socket";

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
describe("realtime delivery over the WebSocket (CONTRACT §6)", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let dataDir: string;
  let alice: Person;
  let bob: Person;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "chat-ws-"));
    sandbox = await startSandbox({ dataDir, port: 0, cognitoPort: 0, log: () => {} });
    [alice, bob] = await Promise.all([signUp(sandbox.urls.cognito, sandbox.clientId, "Alice"), signUp(sandbox.urls.cognito, sandbox.clientId, "Bob")]);
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses a socket without a valid token", async () => {
    const ws = new WebSocket(`${sandbox.urls.ws}?token=forged.token.here`);
    const status = await new Promise<number | undefined>((resolve) => {
      ws.once("unexpected-response", (_req, res) => resolve(res.statusCode));
      ws.once("open", () => resolve(200));
      ws.once("error", () => resolve(undefined));
    });
    expect(status).to.equal(401);
  });

  it("pushes channel events to members only, and public channel creation to everyone", async () => {
    const bobSocket = await listen(sandbox, bob.token);
    const pub = await post(sandbox.urls.api, alice.token, { type: "channel_created", name: "lobby" });
    const priv = await post(sandbox.urls.api, alice.token, { type: "channel_created", name: "hideout", private: true });
    const lobby = pub.body.stream.slice("channel-".length);
    const hideout = priv.body.stream.slice("channel-".length);
    await post(sandbox.urls.api, alice.token, { type: "message_sent", channelId: lobby, messageId: randomUUID(), text: "before bob" });
    await post(sandbox.urls.api, alice.token, { type: "message_sent", channelId: hideout, messageId: randomUUID(), text: "secret" });
    await post(sandbox.urls.api, bob.token, { type: "user_joined_channel", channelId: lobby });
    await post(sandbox.urls.api, alice.token, { type: "message_sent", channelId: lobby, messageId: randomUUID(), text: "hi bob" });
    await sandbox.bus.idle();
    const seen = bobSocket.received.map((m) => `${m.event.stream}#${m.event.seq}:${m.event.type}`);
    expect(bobSocket.received.every((m) => m.type === "event")).to.equal(true);
    expect(seen).to.include.members([`channel-${lobby}#1:channel_created`, `channel-${lobby}#3:user_joined_channel`, `channel-${lobby}#4:message_sent`]);
    expect(seen.filter((s) => s.startsWith(`channel-${hideout}`))).to.deep.equal([]);
    expect(seen).to.not.include(`channel-${lobby}#2:message_sent`);
    await closeAndWaitForgotten(bobSocket.ws, bob.userId);
  });

  const db = () => new DynamoDBClient({ endpoint: sandbox.urls.dynamodb, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  const keysUnder = async (pk: string) =>
    ((await db().send(new QueryCommand({ TableName: "chat-connections", KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: pk } } }))).Items ?? []).map((i) => i.sk?.S);
  /** Closes the socket and waits until $disconnect has forgotten the user's connections, so that the next test starts without them. */
  const closeAndWaitForgotten = async (ws: WebSocket, userId: string) => {
    ws.close();
    const deadline = Date.now() + 10_000;
    while ((await keysUnder(`user#${userId}`)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await keysUnder(`user#${userId}`)).to.deep.equal([]);
  };

  it("enters a socket opened after joining in the channel, so its messages reach it; closing it takes it out", async () => {
    const created = await post(sandbox.urls.api, alice.token, { type: "channel_created", name: "late-socket", private: true });
    const channelId = created.body.stream.slice("channel-".length);
    await post(sandbox.urls.api, alice.token, { type: "user_joined_channel", channelId, memberId: bob.userId });
    await sandbox.bus.idle();
    const socket = await listen(sandbox, bob.token);
    // Alice has no socket open: the one entry is bob's new tab, entered by $connect from his view.
    const entered = await keysUnder(`channel#${channelId}`);
    expect(entered).to.have.length(1);
    await post(sandbox.urls.api, alice.token, { type: "message_sent", channelId, messageId: randomUUID(), text: "for bob's new tab" });
    await sandbox.bus.idle();
    expect((await pushedWhere(socket.received, (p) => p.event.text === "for bob's new tab")).event.stream).to.equal(`channel-${channelId}`);
    socket.ws.close();
    const deadline = Date.now() + 10_000;
    while ((await keysUnder(`channel#${channelId}`)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await keysUnder(`channel#${channelId}`)).to.deep.equal([]);
  });

  it("forgets a connection that is gone and keeps delivering to the others", async () => {
    const first = await listen(sandbox, alice.token);
    const second = await listen(sandbox, alice.token);
    const created = await post(sandbox.urls.api, alice.token, { type: "channel_created", name: "two-tabs" });
    const channelId = created.body.stream.slice("channel-".length);
    await sandbox.bus.idle();
    first.ws.terminate();
    await post(sandbox.urls.api, alice.token, { type: "message_sent", channelId, messageId: randomUUID(), text: "still here" });
    await sandbox.bus.idle();
    expect(second.received.map((m) => m.event.text)).to.include("still here");
    const left = await db().send(
      new QueryCommand({ TableName: "chat-connections", KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: `user#${alice.userId}` } } }),
    );
    expect(left.Items?.map((i) => i.sk?.S)).to.have.length(1);
    second.ws.close();
  });
});
