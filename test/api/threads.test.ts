/** CONTRACT §9 through the sandbox: replies off the channel's pages, the root's summary, the thread view, refusals. */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { Sandbox } from "../../infra/local";
import { type Person, post, signUp, view } from "../support/chatApi";
import { listen, pushedWhere } from "../support/socket";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";

describe("threads (CONTRACT §9)", function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let ann: Person;
  let ben: Person;
  let cat: Person;
  let channelId: string;
  const api = () => sandbox.urls.api;
  const send = async (who: Person, body: Record<string, unknown>, headers: Record<string, string> = {}) => post(api(), who.token, { channelId, ...body }, headers);
  const sent = async (who: Person, text: string, threadId?: string) => {
    const messageId = randomUUID();
    const answer = await send(who, { type: "message_sent", messageId, text, ...(threadId ? { threadId } : {}) });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
    return { messageId, seq: answer.body.seq as number, timestamp: answer.body.timestamp as string };
  };
  /** The channel's last seq as its view says once the bus is idle: a refused request must not have moved it. */
  const lastSeq = async () => (await view(api(), ann.token, `channels/${channelId}`)).body.lastSeq as number;

  before(async () => {
    sandbox = await startTestSandbox();
    [ann, ben, cat] = (await Promise.all(["Ann", "Ben", "Cat"].map((n) => signUp(sandbox.urls.cognito, sandbox.clientId, n)))) as [Person, Person, Person];
    channelId = (await post(api(), ann.token, { type: "channel_created", name: "threads", private: true })).body.stream.slice("channel-".length);
    await send(ann, { type: "user_joined_channel", memberId: ben.userId });
  });
  after(() => disposeTestSandbox(sandbox));

  it("keeps replies off the channel's pages, shows the root's summary there, and pages the replies in the thread's view", async () => {
    const root = await sent(ann, "Lunch?");
    const r1 = await sent(ben, "yes @ann", root.messageId);
    const r2 = await sent(ann, "noon", root.messageId);
    const r3 = await sent(ben, "see you", root.messageId);
    const after = await sent(ann, "back to work");
    await sandbox.bus.idle();
    const head = (await view(api(), ben.token, `channels/${channelId}`)).body;
    expect(head.messageCount, "two top-level messages").to.equal(2);
    const page = (await view(api(), ben.token, `channels/${channelId}/pages/0`)).body;
    expect(page.messages.map((m: { messageId: string }) => m.messageId)).to.deep.equal([root.messageId, after.messageId]);
    expect(page.messages[0]).to.deep.include({ replyCount: 3, lastReplyAt: r3.timestamp, replyUserIds: [ben.userId, ann.userId] });
    expect(page.messages[1]).to.not.have.property("replyCount");

    const thread = await view(api(), ben.token, `channels/${channelId}/threads/${root.messageId}`);
    expect(thread.status).to.equal(200);
    expect(thread.body).to.deep.equal({ channelId, threadId: root.messageId, replyCount: 3, pageSize: 50, pageCount: 1 });
    const replies = (await view(api(), ben.token, `channels/${channelId}/threads/${root.messageId}/pages/0`)).body;
    expect(Object.keys(replies)).to.deep.equal(["channelId", "threadId", "page", "messages"]);
    expect(replies.messages.map((m: { messageId: string; seq: number }) => [m.messageId, m.seq])).to.deep.equal([
      [r1.messageId, r1.seq],
      [r2.messageId, r2.seq],
      [r3.messageId, r3.seq],
    ]);
    expect(replies.messages[0]).to.deep.equal({ seq: r1.seq, messageId: r1.messageId, userId: ben.userId, text: "yes @ann", sentAt: r1.timestamp });

    const mentions = (await view(api(), ann.token, "users/me/mentions")).body.mentions;
    expect(mentions.find((m: { messageId: string }) => m.messageId === r1.messageId)).to.deep.include({ channelId, threadId: root.messageId });
  });

  it("edits, deletes and reacts to replies in their thread, leaving the channel's page as it was", async () => {
    const root = await sent(ann, "Release notes?");
    const reply = await sent(ben, "draft", root.messageId);
    const gone = await sent(ann, "oops", root.messageId);
    await sandbox.bus.idle();
    const before = (await view(api(), ann.token, `channels/${channelId}/pages/0`)).body;
    expect((await send(ben, { type: "message_edited", messageId: reply.messageId, text: "final" })).status).to.equal(202);
    expect((await send(ann, { type: "message_deleted", messageId: gone.messageId })).status).to.equal(202);
    expect((await send(ann, { type: "reaction_added", messageId: reply.messageId, emoji: "tada" })).status).to.equal(202);
    await sandbox.bus.idle();
    const replies = (await view(api(), ann.token, `channels/${channelId}/threads/${root.messageId}/pages/0`)).body.messages;
    expect(replies[0]).to.deep.include({ messageId: reply.messageId, text: "final", reactions: [{ emoji: "tada", count: 1, userIds: [ann.userId] }] });
    expect(replies[0].editedAt).to.be.a("string");
    expect(replies[1]).to.deep.equal({ seq: gone.seq, messageId: gone.messageId, userId: ann.userId, text: "", sentAt: gone.timestamp, deleted: true });
    expect((await view(api(), ann.token, `channels/${channelId}/pages/0`)).body).to.deep.equal(before);
  });

  it("refuses replies from non-members, to a reply, to an unknown, deleted or other channel's message, and someone else's edit; stores nothing", async () => {
    const root = await sent(ann, "Question");
    const reply = await sent(ben, "answer", root.messageId);
    const deleted = await sent(ann, "to be deleted");
    expect((await send(ann, { type: "message_deleted", messageId: deleted.messageId })).status).to.equal(202);
    const other = (await post(api(), cat.token, { type: "channel_created", name: `elsewhere-${randomUUID().slice(0, 8)}` })).body.stream.slice("channel-".length);
    const elsewhere = randomUUID();
    expect((await post(api(), cat.token, { type: "message_sent", channelId: other, messageId: elsewhere, text: "hi" })).status).to.equal(202);
    await sandbox.bus.idle();
    const seq = await lastSeq();
    const reply2 = (who: Person, threadId: string) => send(who, { type: "message_sent", messageId: randomUUID(), text: "re", threadId });
    const refusals = [
      [await reply2(cat, root.messageId), 403, "not_member"],
      [await reply2(ann, reply.messageId), 400, "invalid_thread"],
      [await reply2(ann, randomUUID()), 404, "message_not_found"],
      [await reply2(ann, deleted.messageId), 404, "message_not_found"],
      [await reply2(ann, elsewhere), 404, "message_not_found"],
      [await send(ann, { type: "message_edited", messageId: reply.messageId, text: "mine now" }), 403, "not_author"],
      [await send(ann, { type: "message_sent", messageId: randomUUID(), text: "re", threadId: "not-a-uuid" }), 400, "invalid_field"],
    ] as const;
    for (const [answer, status, code] of refusals) expect([answer.status, answer.body.error.code], JSON.stringify(answer.body)).to.deep.equal([status, code]);
    await sandbox.bus.idle();
    expect(await lastSeq(), "nothing stored").to.equal(seq);
    const outsider = await view(api(), cat.token, `channels/${channelId}/threads/${root.messageId}`);
    expect(outsider.status).to.equal(403);
    expect((await view(api(), cat.token, `channels/${channelId}/threads/${root.messageId}/pages/0`)).status).to.equal(403);
    expect((await view(api(), ann.token, `channels/${channelId}/threads/${randomUUID()}`)).status).to.equal(404);
  });

  it("answers a reply retried with its Idempotency-Key with the first answer, and stores it once", async () => {
    const root = await sent(ann, "Retry me");
    const body = { type: "message_sent", messageId: randomUUID(), text: "once", threadId: root.messageId };
    const first = await send(ben, body, { "idempotency-key": "reply-1" });
    const again = await send(ben, body, { "idempotency-key": "reply-1" });
    expect(again.body).to.deep.equal(first.body);
    await sandbox.bus.idle();
    expect((await view(api(), ben.token, `channels/${channelId}/threads/${root.messageId}`)).body.replyCount).to.equal(1);
  });

  it("pushes replies to members' sockets", async () => {
    const socket = await listen(sandbox, ben.token);
    const root = await sent(ann, "Anyone?");
    const reply = await sent(ann, "hello thread", root.messageId);
    const pushed = await pushedWhere(socket.received, (p) => p.event.messageId === reply.messageId);
    expect(pushed.event).to.deep.include({ type: "message_sent", threadId: root.messageId, text: "hello thread" });
    socket.ws.close();
  });

  it("summarises a thread on a sealed page through its edits, and pages a thread past 50 replies", async () => {
    const root = await sent(ann, "Sealed soon");
    const head = (await view(api(), ann.token, `channels/${channelId}`)).body;
    for (let i = head.messageCount; i < 2 * head.pageSize + 1; i++) await sent(ann, `filler ${i}`);
    const replies = [];
    for (let i = 0; i < 52; i++) replies.push(await sent(i % 2 ? ann : ben, `reply ${i}`, root.messageId));
    await sandbox.bus.idle();
    const page = (await view(api(), ann.token, `channels/${channelId}/pages/0`)).body;
    expect(page.messages.find((m: { messageId: string }) => m.messageId === root.messageId)).to.deep.include({ replyCount: 52, lastReplyAt: replies.at(-1)!.timestamp, replyUserIds: [ben.userId, ann.userId] });
    expect((await view(api(), ann.token, `channels/${channelId}/threads/${root.messageId}`)).body).to.include({ replyCount: 52, pageCount: 2 });
    const second = (await view(api(), ann.token, `channels/${channelId}/threads/${root.messageId}/pages/1`)).body;
    expect(second.messages.map((m: { text: string }) => m.text)).to.deep.equal(["reply 50", "reply 51"]);
  });
});
