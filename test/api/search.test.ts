/** CONTRACT §12 through the sandbox: the query language, who finds what, edits and deletions, paging. */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { Sandbox } from "../../infra/local";
import { type Person, post, searchFor, signUp } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";

describe("search (CONTRACT §12)", function () {
  this.timeout(300_000);
  let sandbox: Sandbox;
  let ann: Person;
  let ben: Person;
  let cat: Person;
  let general: string;
  let secret: string;
  let dm: string;
  const api = () => sandbox.urls.api;
  const create = async (who: Person, name: string, isPrivate = false) =>
    (await post(api(), who.token, { type: "channel_created", name, private: isPrivate })).body.stream.slice("channel-".length) as string;
  const sent = async (who: Person, channelId: string, text: string, threadId?: string) => {
    const messageId = randomUUID();
    const answer = await post(api(), who.token, { type: "message_sent", channelId, messageId, text, ...(threadId ? { threadId } : {}) });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
    return messageId;
  };
  /** The ids found, newest first, once the bus is idle. */
  const found = async (who: Person, q: string): Promise<string[]> => {
    await sandbox.bus.idle();
    const answer = await searchFor(api(), who.token, q);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body.results.map((r: { messageId: string }) => r.messageId);
  };

  const ids: Record<string, string> = {};
  before(async () => {
    sandbox = await startTestSandbox();
    [ann, ben, cat] = (await Promise.all(["Ann Lee", "Ben", "Cat"].map((n) => signUp(sandbox.urls.cognito, sandbox.clientId, n)))) as [Person, Person, Person];
    general = await create(ann, "general");
    secret = await create(ann, "secret", true);
    await post(api(), ann.token, { type: "user_joined_channel", channelId: secret, memberId: ben.userId });
    await post(api(), ben.token, { type: "user_joined_channel", channelId: general });
    dm = (await post(api(), ann.token, { type: "dm_opened", memberIds: [ben.userId] })).body.channelId;
    ids.deploy = await sent(ann, general, "The deployment finished, see https://ci.example.com/run/42");
    ids.cafe = await sent(ben, general, "Meet at the Café Noël at noon");
    ids.phrase = await sent(ann, general, "release notes are ready for review");
    ids.words = await sent(ben, general, "notes on the release: ready");
    ids.chinese = await sent(ann, general, "我们明天在北京开会讨论部署");
    ids.japanese = await sent(ben, general, "今日は東京で新しいサーバーを設定しました");
    ids.reply = await sent(ben, general, "deployment looks healthy from here", ids.deploy);
    ids.secret = await sent(ann, secret, "the launch codeword is marmalade");
    ids.dm = await sent(ben, dm, "psst, marmalade is also my password");
  });
  after(() => disposeTestSandbox(sandbox));

  it("finds whole words and their beginnings, case- and accent-insensitively, newest first", async () => {
    expect(await found(cat, "DEPLOYMENT")).to.deep.equal([ids.reply, ids.deploy]);
    expect(await found(cat, "depl")).to.deep.equal([ids.reply, ids.deploy]);
    expect(await found(cat, "cafe noel")).to.deep.equal([ids.cafe]);
    expect(await found(cat, "ployment")).to.deep.equal([], "a word's middle is not its beginning");
  });

  it("finds phrases where their words stand together, and leaves out excluded words", async () => {
    expect(await found(cat, "release ready")).to.have.members([ids.phrase, ids.words]);
    expect(await found(cat, '"release notes"')).to.deep.equal([ids.phrase]);
    expect(await found(cat, "release -review")).to.deep.equal([ids.words]);
    expect(await found(cat, 'release -"notes are"')).to.deep.equal([ids.words]);
  });

  it("finds a Chinese and a Japanese sentence by a word inside it", async () => {
    expect(await found(cat, "北京")).to.deep.equal([ids.chinese]);
    expect(await found(cat, "部署")).to.deep.equal([ids.chinese]);
    expect(await found(cat, "東京")).to.deep.equal([ids.japanese]);
    expect(await found(cat, "サーバー")).to.deep.equal([ids.japanese]);
  });

  it("applies each filter", async () => {
    expect(await found(cat, "from:ann deployment")).to.deep.equal([ids.deploy]);
    expect(await found(cat, "from:@annlee deployment")).to.deep.equal([ids.deploy], "the name without spaces");
    expect(await found(cat, "from:ben")).to.deep.equal([ids.reply, ids.japanese, ids.words, ids.cafe]);
    expect(await found(ann, "in:#secret")).to.deep.equal([ids.secret]);
    expect(await found(ann, "in:general has:link")).to.deep.equal([ids.deploy]);
    expect(await found(cat, "is:thread")).to.deep.equal([ids.reply]);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(await found(cat, `on:${today} cafe`)).to.deep.equal([ids.cafe]);
    expect(await found(cat, `before:${tomorrow} after:${yesterday} cafe`)).to.deep.equal([ids.cafe]);
    expect(await found(cat, `before:${today} cafe`)).to.deep.equal([]);
    expect(await found(cat, `after:${today} cafe`)).to.deep.equal([]);
  });

  it("answers 400 saying which filter is wrong, for a bad filter value", async () => {
    for (const [q, says] of [
      ["before:yesterday", "before:"],
      ["on:2026-02-30", "on:"],
      ["has:file", "has:"],
      ["is:pinned", "is:"],
      ["from:nobody-at-all", "from:"],
      ["in:no-such-channel", "in:"],
      ["in:secret", "in:"],
    ] as const) {
      const answer = await searchFor(api(), cat.token, q);
      expect(answer.status, q).to.equal(400);
      expect(answer.body.error.code).to.equal("invalid_query");
      expect(answer.body.error.message, q).to.contain(says);
    }
    const cursor = await searchFor(api(), cat.token, "deployment", "not-a-cursor");
    expect(cursor.status).to.equal(400);
  });

  it("finds a private channel's and a DM's messages for their members only", async () => {
    expect(await found(ann, "marmalade")).to.deep.equal([ids.dm, ids.secret]);
    expect(await found(ben, "marmalade")).to.deep.equal([ids.dm, ids.secret]);
    expect(await found(cat, "marmalade")).to.deep.equal([]);
    expect(await found(cat, "codeword")).to.deep.equal([]);
  });

  it("stops finding a private channel's messages for someone who left, at once", async () => {
    const channelId = await create(ann, "leaving", true);
    await post(api(), ann.token, { type: "user_joined_channel", channelId, memberId: cat.userId });
    const id = await sent(ann, channelId, "quarterly tangerine numbers");
    expect(await found(cat, "tangerine")).to.deep.equal([id]);
    const left = await post(api(), cat.token, { type: "user_left_channel", channelId });
    expect(left.status).to.equal(202);
    // No waiting for the views: the leave is in the store, so search must already honour it.
    const answer = await searchFor(api(), cat.token, "tangerine");
    expect(answer.body.results).to.deep.equal([]);
    expect(await found(ann, "tangerine")).to.deep.equal([id]);
  });

  it("never finds a deleted message, and finds an edited one by its new text only", async () => {
    const gone = await sent(ann, general, "temporary pineapple note");
    const edited = await sent(ann, general, "original wording kiwi");
    expect(await found(cat, "pineapple")).to.deep.equal([gone]);
    await post(api(), ann.token, { type: "message_deleted", channelId: general, messageId: gone });
    await post(api(), ann.token, { type: "message_edited", channelId: general, messageId: edited, text: "revised wording mango" });
    expect(await found(cat, "pineapple")).to.deep.equal([]);
    expect(await found(cat, "kiwi")).to.deep.equal([]);
    const answer = await searchFor(api(), cat.token, "mango");
    expect(answer.body.results.map((r: { messageId: string }) => r.messageId)).to.deep.equal([edited]);
    expect(answer.body.results[0]).to.include({ text: "revised wording mango", channelId: general, userId: ann.userId });
    expect(answer.body.results[0].editedAt).to.be.a("string");
  });

  it("pages 20 at a time with the cursor, over sealed pages, with their edits and deletions", async () => {
    const channelId = await create(ben, "busy");
    const sentIds: string[] = [];
    for (let i = 0; i < 120; i++) sentIds.push(await sent(ben, channelId, `status report number ${i}`));
    await post(api(), ben.token, { type: "message_deleted", channelId, messageId: sentIds[3] });
    await post(api(), ben.token, { type: "message_edited", channelId, messageId: sentIds[5], text: "a changed line" });
    await sandbox.bus.idle();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await searchFor(api(), cat.token, "in:busy status", cursor);
      expect(answer.status).to.equal(200);
      expect(answer.body.results.length).to.be.at.most(20);
      seen.push(...answer.body.results.map((r: { messageId: string }) => r.messageId));
      cursor = answer.body.cursor;
      pages++;
    } while (cursor && pages < 20);
    const expected = sentIds.filter((_, i) => i !== 3 && i !== 5).reverse();
    expect(seen).to.deep.equal(expected);
    expect(pages).to.equal(6);
    expect(await found(cat, "changed line")).to.deep.equal([sentIds[5]]);
  });

  it("shows each result in the contract's shape", async () => {
    await sandbox.bus.idle();
    const answer = await searchFor(api(), cat.token, "healthy");
    expect(answer.body.query).to.equal("healthy");
    expect(answer.body).to.not.have.property("cursor");
    const [result] = answer.body.results;
    expect(Object.keys(result)).to.have.members(["channelId", "messageId", "threadId", "seq", "userId", "text", "sentAt"]);
    expect(result).to.include({ channelId: general, messageId: ids.reply, threadId: ids.deploy, userId: ben.userId, text: "deployment looks healthy from here" });
  });
});
