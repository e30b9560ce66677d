/**
 * CONTRACT §11 end to end through the sandbox: dm_opened, the DM's id from its member
 * set, its refusals (nothing stored), its views for its members only, messages and
 * mentions in it, and realtime reaching its members.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import type { Sandbox } from "../../infra/local";
import { type Answer, type Person, post, signUp, view } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { listen, pushedWhere } from "../support/socket";

describe("direct messages (CONTRACT §11) through the sandbox", function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let api: string;
  let ann: Person;
  let ben: Person;
  let cat: Person;
  /** Ann and Ben's DM, opened by Ann in the first test. */
  let dm: string;

  const storedEvents = async () => {
    const db = new DynamoDBClient({ endpoint: sandbox.urls.dynamodb, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    const scan = await db.send(new ScanCommand({ TableName: "chat-events", ProjectionExpression: "pk, sk" }));
    return (scan.Items ?? []).filter((i) => Number(i.sk?.N) > 0).length;
  };
  const accepted = async (who: Person, body: object, headers: Record<string, string> = {}) => {
    const answer = await post(api, who.token, body, headers);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
    return answer.body as { eventId: string; stream: string; seq: number; timestamp: string; channelId?: string };
  };
  const refusedWith = async (status: number, code: string, send: () => Promise<Answer>) => {
    const before = await storedEvents();
    const answer = await send();
    expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
    expect(answer.body.error.code).to.equal(code);
    expect(await storedEvents(), "a refused request stores nothing").to.equal(before);
    return answer.body.error.message as string;
  };
  const listed = async (who: Person) => (await view(api, who.token, "channels")).body.channels as { channelId: string; kind: string }[];

  before(async () => {
    sandbox = await startTestSandbox();
    api = sandbox.urls.api;
    [ann, ben, cat] = (await Promise.all(["Ann", "Ben", "Cat"].map((n) => signUp(sandbox.urls.cognito, sandbox.clientId, n)))) as [Person, Person, Person];
    // Each is registered by their first call.
    for (const p of [ann, ben, cat]) await view(api, p.token, "users");
    await sandbox.bus.idle();
  });
  after(() => disposeTestSandbox(sandbox));

  it("opens a DM: 202 with the contract's answer plus the channelId its stream has", async () => {
    const answer = await accepted(ann, { type: "dm_opened", memberIds: [ben.userId] });
    expect(answer).to.have.all.keys("eventId", "stream", "seq", "timestamp", "channelId");
    expect(answer.seq).to.equal(1);
    expect(answer.stream).to.equal(`channel-${answer.channelId}`);
    dm = answer.channelId!;
  });

  it("opened again, by the other member or the first, stores nothing and answers as the first time", async () => {
    const first = await accepted(ann, { type: "dm_opened", memberIds: [ben.userId] });
    const before = await storedEvents();
    expect(await accepted(ben, { type: "dm_opened", memberIds: [ann.userId] })).to.deep.equal(first);
    expect(await accepted(ann, { type: "dm_opened", memberIds: [ben.userId] })).to.deep.equal(first);
    expect(await storedEvents()).to.equal(before);
  });

  it("gives a group its own DM, the same in any order and from any of its members", async () => {
    const group = await accepted(ann, { type: "dm_opened", memberIds: [ben.userId, cat.userId] });
    expect(group.channelId).to.not.equal(dm);
    expect(await accepted(cat, { type: "dm_opened", memberIds: [ben.userId, ann.userId] })).to.deep.equal(group);
  });

  it("answers a retry with the same Idempotency-Key with the first answer", async () => {
    const key = { "idempotency-key": `dm-${randomUUID()}` };
    const first = await accepted(cat, { type: "dm_opened", memberIds: [ann.userId] }, key);
    const before = await storedEvents();
    expect(await accepted(cat, { type: "dm_opened", memberIds: [ann.userId] }, key)).to.deep.equal(first);
    expect(await storedEvents()).to.equal(before);
  });

  it("refuses an unknown person (404), oneself among the others, a duplicate, none or more than 8 (400)", async () => {
    await refusedWith(404, "user_not_found", () => post(api, ann.token, { type: "dm_opened", memberIds: [ben.userId, "no-such-user"] }));
    await refusedWith(400, "invalid_field", () => post(api, ann.token, { type: "dm_opened", memberIds: [ann.userId, ben.userId] }));
    await refusedWith(400, "invalid_field", () => post(api, ann.token, { type: "dm_opened", memberIds: [ben.userId, ben.userId] }));
    await refusedWith(400, "invalid_field", () => post(api, ann.token, { type: "dm_opened", memberIds: [] }));
    await refusedWith(400, "invalid_field", () => post(api, ann.token, { type: "dm_opened", memberIds: Array.from({ length: 9 }, () => ben.userId + randomUUID().slice(0, 4)) }));
  });

  it("lets nobody join it, be added to it, leave it or be removed, nor rename it or set its topic (403)", async () => {
    // An outsider gets what an outsider gets for a DM that does not exist (CONTRACT §11 leaves whether two people have one to them).
    await refusedWith(403, "not_member", () => post(api, cat.token, { type: "user_joined_channel", channelId: dm }));
    await refusedWith(403, "forbidden", () => post(api, ann.token, { type: "user_joined_channel", channelId: dm, memberId: cat.userId }));
    await refusedWith(403, "forbidden", () => post(api, ben.token, { type: "user_left_channel", channelId: dm }));
    await refusedWith(403, "forbidden", () => post(api, ann.token, { type: "user_left_channel", channelId: dm, memberId: ben.userId }));
    await refusedWith(403, "forbidden", () => post(api, ann.token, { type: "channel_renamed", channelId: dm, name: "ours" }));
    await refusedWith(403, "forbidden", () => post(api, ben.token, { type: "channel_topic_set", channelId: dm, topic: "lunch" }));
  });

  it("keeps DMs' ids from channels: channel_created cannot squat one (400)", async () => {
    const other = await accepted(ben, { type: "dm_opened", memberIds: [cat.userId] });
    const squat = randomUUID().replace(/^(.{14})./, "$15"); // any name-based (version 5) id
    await refusedWith(400, "invalid_field", () => post(api, ann.token, { type: "channel_created", channelId: squat, name: "squat" }));
    // The same answer for a DM's id that is taken: whether it is tells no one whether two people have a DM.
    await refusedWith(400, "invalid_field", () => post(api, ann.token, { type: "channel_created", channelId: other.channelId, name: "squat" }));
  });

  it("carries messages, edits, deletions and mentions between its members; an outsider may not post", async () => {
    const hello = randomUUID();
    await accepted(ben, { type: "message_sent", channelId: dm, messageId: hello, text: "hi @ann" });
    await accepted(ben, { type: "message_edited", channelId: dm, messageId: hello, text: "hi @ann, lunch?" });
    const oops = randomUUID();
    await accepted(ann, { type: "message_sent", channelId: dm, messageId: oops, text: "oops" });
    await accepted(ann, { type: "message_deleted", channelId: dm, messageId: oops });
    await refusedWith(403, "not_author", () => post(api, ann.token, { type: "message_edited", channelId: dm, messageId: hello, text: "not mine" }));
    await refusedWith(403, "not_member", () => post(api, cat.token, { type: "message_sent", channelId: dm, messageId: randomUUID(), text: "let me in @ann" }));
    await sandbox.bus.idle();
    const page = (await view(api, ann.token, `channels/${dm}/pages/0`)).body;
    expect(page.messages.map((m: { text: string; deleted?: boolean }) => [m.text, m.deleted ?? false])).to.deep.equal([["hi @ann, lunch?", false], ["", true]]);
    const mentions = (await view(api, ann.token, "users/me/mentions")).body.mentions;
    expect(mentions.map((m: { channelId: string; text: string }) => [m.channelId, m.text])).to.deep.include([dm, "hi @ann, lunch?"]);
  });

  it("is listed, as kind dm with its members, to its members only; channels are listed as kind channel", async () => {
    await accepted(cat, { type: "channel_created", name: "lobby" });
    await sandbox.bus.idle();
    for (const member of [ann, ben]) {
      const entry = (await listed(member)).find((c) => c.channelId === dm);
      expect(entry, member.name).to.deep.include({ kind: "dm", name: "", topic: "", private: true, memberCount: 2 });
      expect((entry as unknown as { members: string[] }).members).to.have.members([ann.userId, ben.userId]);
      expect((await view(api, member.token, "users/me")).body.channels).to.include(dm);
    }
    const cats = await listed(cat);
    expect(cats.map((c) => c.channelId)).to.not.include(dm);
    expect(cats.find((c) => (c as unknown as { name: string }).name === "lobby")).to.deep.include({ kind: "channel" });
    expect((await view(api, cat.token, "users/me")).body.channels).to.not.include(dm);
  });

  it("shows its head (kind dm, no name, private, its members) to its members, and answers 403 to anyone else", async () => {
    const head = await view(api, ben.token, `channels/${dm}`);
    expect(head.status).to.equal(200);
    expect(head.body).to.deep.include({ channelId: dm, kind: "dm", name: "", topic: "", private: true, createdBy: ann.userId, members: [ann.userId, ben.userId] });
    expect((await view(api, cat.token, `channels/${dm}`)).status).to.equal(403);
    expect((await view(api, cat.token, `channels/${dm}/pages/0`)).status).to.equal(403);
  });

  it("pushes a DM's opening to each member's open sockets and its messages after it, and nothing of it to anyone else", async () => {
    const [benSocket, catSocket] = [await listen(sandbox, ben.token), await listen(sandbox, cat.token)];
    const dan = await signUp(sandbox.urls.cognito, sandbox.clientId, "Dan");
    await view(api, dan.token, "users");
    const opened = await accepted(dan, { type: "dm_opened", memberIds: [ben.userId] });
    await accepted(dan, { type: "message_sent", channelId: opened.channelId, messageId: randomUUID(), text: "hello Ben, it's Dan" });
    await sandbox.bus.idle();
    const pushed = await pushedWhere(benSocket.received, (p) => p.event.type === "dm_opened" && p.event.stream === opened.stream);
    expect(pushed.event).to.deep.include({ channelId: opened.channelId, userId: dan.userId, memberIds: [ben.userId] });
    expect((await pushedWhere(benSocket.received, (p) => p.event.text === "hello Ben, it's Dan")).event.stream).to.equal(opened.stream);
    expect(catSocket.received.filter((p) => p.event.stream === opened.stream)).to.deep.equal([]);
    benSocket.ws.close();
    catSocket.ws.close();
  });

  it("enters a member's socket opened after the DM in it, so its messages reach that socket", async () => {
    const annSocket = await listen(sandbox, ann.token);
    await accepted(ben, { type: "message_sent", channelId: dm, messageId: randomUUID(), text: "for Ann's new tab" });
    await sandbox.bus.idle();
    expect((await pushedWhere(annSocket.received, (p) => p.event.text === "for Ann's new tab")).event.stream).to.equal(`channel-${dm}`);
    annSocket.ws.close();
  });
});
