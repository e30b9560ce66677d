/**
 * Reactions (CONTRACT §10) end to end through the sandbox: the store's rules and answers,
 * the pages the views API serves (open and sealed), and the pushes members get (§6).
 */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { Sandbox } from "../../infra/local";
import { tableClient, tableSnapshot } from "../faults/support";
import { type Person, post, signUp, view } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { listen, pushedWhere } from "../support/socket";

describe("reactions through the sandbox (CONTRACT §10)", function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let api: string;
  let ann: Person;
  let ben: Person;
  let eve: Person;
  let channelId: string;

  const accepted = async (who: Person, body: Record<string, unknown>, headers?: Record<string, string>) => {
    const answer = await post(api, who.token, body, headers);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
    return answer;
  };
  const send = async (text: string) => {
    const messageId = randomUUID();
    await accepted(ann, { type: "message_sent", channelId, messageId, text });
    return messageId;
  };
  const react = (messageId: string, emoji: string) => ({ type: "reaction_added", channelId, messageId, emoji });
  const unreact = (messageId: string, emoji: string) => ({ type: "reaction_removed", channelId, messageId, emoji });
  /** The message as a page of the views API serves it, once the views hold the channel's latest event. */
  const served = async (messageId: string) => {
    await sandbox.bus.idle();
    const head = await view(api, ben.token, `channels/${channelId}`);
    for (let n = head.body.pageCount - 1; n >= 0; n--) {
      const page = await view(api, ben.token, `channels/${channelId}/pages/${n}`);
      const found = page.body.messages.find((m: { messageId: string }) => m.messageId === messageId);
      if (found) return found;
    }
    throw new Error(`message ${messageId} is on no page`);
  };

  before(async () => {
    sandbox = await startTestSandbox();
    api = sandbox.urls.api;
    const up = (name: string) => signUp(sandbox.urls.cognito, sandbox.clientId, name);
    [ann, ben, eve] = await Promise.all([up("Ann"), up("Ben"), up("Eve")]);
    const created = await accepted(ann, { type: "channel_created", name: "reactions" });
    channelId = created.body.stream.slice("channel-".length);
    await accepted(ben, { type: "user_joined_channel", channelId });
  });
  after(() => disposeTestSandbox(sandbox));

  it("shows reactions on the page per emoji in the order first added, who reacted in order, and takes an emptied emoji away", async () => {
    const messageId = await send("react to me");
    await accepted(ben, react(messageId, "tada"));
    await accepted(ann, react(messageId, "+1"));
    await accepted(ann, react(messageId, "tada"));
    expect((await served(messageId)).reactions).to.deep.equal([
      { emoji: "tada", count: 2, userIds: [ben.userId, ann.userId] },
      { emoji: "+1", count: 1, userIds: [ann.userId] },
    ]);
    await accepted(ben, unreact(messageId, "tada"));
    await accepted(ann, unreact(messageId, "+1"));
    expect((await served(messageId)).reactions).to.deep.equal([{ emoji: "tada", count: 1, userIds: [ann.userId] }]);
    await accepted(ann, unreact(messageId, "tada"));
    expect(await served(messageId)).to.not.have.property("reactions");
  });

  it("answers a repeated reaction and the removal of one not given with 202, and changes nothing on the page", async () => {
    const messageId = await send("once");
    await accepted(ben, react(messageId, "thumbsup"));
    const before = await served(messageId);
    await accepted(ben, react(messageId, "thumbsup"));
    await accepted(ann, unreact(messageId, "thumbsup"));
    await accepted(ann, unreact(messageId, "eyes"));
    expect(await served(messageId)).to.deep.equal(before);
    expect(before.reactions).to.deep.equal([{ emoji: "thumbsup", count: 1, userIds: [ben.userId] }]);
  });

  it("gives a retry with the same Idempotency-Key the first answer and stores nothing new, for adding and removing", async () => {
    const messageId = await send("retried");
    const db = tableClient(sandbox);
    for (const body of [react(messageId, "rocket"), unreact(messageId, "rocket")]) {
      const key = randomUUID();
      const first = await accepted(ben, body, { "idempotency-key": key });
      const stored = await tableSnapshot(db);
      const again = await accepted(ben, body, { "idempotency-key": key });
      expect(again.body).to.deep.equal(first.body);
      expect(await tableSnapshot(db)).to.deep.equal(stored);
      const reused = await post(api, ben.token, { ...body, emoji: "other" }, { "idempotency-key": key });
      expect(reused.status).to.equal(409);
    }
    expect(await served(messageId)).to.not.have.property("reactions");
  });

  it("refuses non-members (403), bad emoji names (400), unknown and deleted messages and channels (404), and stores nothing for them", async () => {
    const messageId = await send("target");
    const gone = await send("soon gone");
    await accepted(ann, { type: "message_deleted", channelId, messageId: gone });
    await sandbox.bus.idle();
    const db = tableClient(sandbox);
    const before = await tableSnapshot(db);
    const cases: [string, Person, Record<string, unknown>, number, string][] = [
      ["a non-member adding", eve, react(messageId, "tada"), 403, "not_member"],
      ["a non-member removing", eve, unreact(messageId, "tada"), 403, "not_member"],
      ["an emoji with capitals", ann, react(messageId, "Tada"), 400, "invalid_field"],
      ["an emoji in colons", ann, react(messageId, ":tada:"), 400, "invalid_field"],
      ["the glyph instead of the name", ann, react(messageId, "🎉"), 400, "invalid_field"],
      ["an emoji of 65 characters", ann, unreact(messageId, "a".repeat(65)), 400, "invalid_field"],
      ["an empty emoji", ann, react(messageId, ""), 400, "invalid_field"],
      ["no emoji", ann, { type: "reaction_added", channelId, messageId }, 400, "invalid_field"],
      ["an unknown message", ann, react(randomUUID(), "tada"), 404, "message_not_found"],
      ["a deleted message", ann, react(gone, "tada"), 404, "message_not_found"],
      ["removing from a deleted message", ann, unreact(gone, "tada"), 404, "message_not_found"],
      ["an unknown channel", ann, { ...react(messageId, "tada"), channelId: randomUUID() }, 404, "channel_not_found"],
    ];
    for (const [what, who, body, status, code] of cases) {
      const answer = await post(api, who.token, body);
      expect([answer.status, answer.body?.error?.code], what).to.deep.equal([status, code]);
    }
    const bad = await post(api, ann.token, react(messageId, "Thumbs Up"));
    expect(bad.body.error.message).to.match(/emoji/);
    expect(await tableSnapshot(db), "refusals stored nothing").to.deep.equal(before);
  });

  it("pushes reactions to the channel's members over the WebSocket, and not to others", async () => {
    const messageId = await send("watched");
    const bens = await listen(sandbox, ben.token);
    const eves = await listen(sandbox, eve.token);
    try {
      const added = await accepted(ann, react(messageId, "eyes"));
      const removed = await accepted(ann, unreact(messageId, "eyes"));
      const push = await pushedWhere(bens.received, (p) => p.event.seq === added.body.seq);
      expect(push.event).to.deep.include({ type: "reaction_added", channelId, messageId, emoji: "eyes", userId: ann.userId });
      expect((await pushedWhere(bens.received, (p) => p.event.seq === removed.body.seq)).event).to.deep.include({ type: "reaction_removed", emoji: "eyes" });
      await sandbox.bus.idle();
      expect(eves.received.filter((p) => p.event.stream === `channel-${channelId}`)).to.deep.equal([]);
    } finally {
      bens.ws.close();
      eves.ws.close();
    }
  });

  it("shows reactions to a message of a sealed page, and drops them from its tombstone", async () => {
    const first = await send("on page that will be sealed");
    await accepted(ben, react(first, "tada"));
    const head = await view(api, ann.token, `channels/${channelId}`);
    for (let i = head.body.messageCount; i < head.body.pageSize + 1; i++) await send(`filler ${i}`);
    await accepted(ann, react(first, "tada"));
    await accepted(ben, react(first, "+1"));
    const sealed = await served(first);
    expect((await view(api, ann.token, `channels/${channelId}`)).body.pageCount).to.equal(2);
    expect(sealed.reactions).to.deep.equal([
      { emoji: "tada", count: 2, userIds: [ben.userId, ann.userId] },
      { emoji: "+1", count: 1, userIds: [ben.userId] },
    ]);
    await accepted(ann, { type: "message_deleted", channelId, messageId: first });
    const tombstone = await served(first);
    expect(tombstone).to.include({ deleted: true, text: "" });
    expect(tombstone).to.not.have.property("reactions");
  });
});
