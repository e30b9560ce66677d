/**
 * CONTRACT §13's Slack Web API through the sandbox, with the official client (`@slack/web-api`)
 * and a signed-up user's IdToken: every method, answering what Slack's documentation says.
 */
import { expect } from "chai";
import type { WebClient } from "@slack/web-api";
import type { Sandbox } from "../../infra/local";
import { type Person, post, signUp, view } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { slackClient, slackErrorOf } from "../support/slackApi";

describe("Slack Web API (CONTRACT §13)", function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let ann: Person;
  let ben: Person;
  let general: string;
  let secret: string;
  let slack: WebClient;
  const api = () => sandbox.urls.api;
  const idle = () => sandbox.bus.idle();
  const channelOf = (answer: { body: { stream: string } }) => answer.body.stream.slice("channel-".length);

  before(async () => {
    sandbox = await startTestSandbox();
    [ann, ben] = (await Promise.all(["Ann", "Ben"].map((n) => signUp(sandbox.urls.cognito, sandbox.clientId, n)))) as [Person, Person];
    general = channelOf(await post(api(), ann.token, { type: "channel_created", name: "general", topic: "All hands" }));
    secret = channelOf(await post(api(), ann.token, { type: "channel_created", name: "secret", private: true }));
    slack = slackClient(api(), ben.token);
    await idle();
  });
  after(() => disposeTestSandbox(sandbox));

  it("auth.test names the token's user and the workspace", async () => {
    const answer = await slack.auth.test();
    expect(answer).to.deep.include({ ok: true, user_id: ben.userId, user: "Ben", team: "chat", team_id: "T0CHAT" });
    expect(answer.url).to.match(/^https:\/\/.+\/$/);
  });

  it("conversations.join, .info and .list: a public channel joined and shown as Slack's conversation object; private ones only to members", async () => {
    const joined = await slack.conversations.join({ channel: general });
    expect(joined.channel).to.deep.include({ id: general, name: "general", is_channel: true, is_private: false, is_member: true });
    const again = await slack.conversations.join({ channel: general });
    expect(again).to.deep.include({ ok: true, already_in_channel: true });
    await idle();
    const info = await slack.conversations.info({ channel: general });
    expect(info.channel).to.deep.include({ id: general, name: "general", is_member: true, num_members: 2, creator: ann.userId, is_im: false });
    expect(info.channel?.topic?.value).to.equal("All hands");
    const listed = await slack.conversations.list({ types: "public_channel,private_channel" });
    expect(listed.channels?.map((c) => c.id)).to.deep.equal([general]);
    const annList = await slackClient(api(), ann.token).conversations.list({ types: "private_channel" });
    expect(annList.channels?.map((c) => [c.id, c.is_group, c.is_private, c.is_member])).to.deep.equal([[secret, true, true, true]]);
  });

  it("chat.postMessage answers a ts that finds the message again: history shows it, chat.update edits it, reactions.add reacts to it, chat.delete deletes it", async () => {
    const sent = await slack.chat.postMessage({ channel: general, text: "  Deploy *done*  " });
    expect(sent).to.deep.include({ ok: true, channel: general });
    expect(sent.ts).to.match(/^\d{10}\.\d{6}$/);
    expect(sent.message).to.deep.include({ type: "message", user: ben.userId, text: "Deploy *done*", ts: sent.ts });
    await idle();
    const page = (await view(api(), ann.token, `channels/${general}/pages/0`)).body;
    const stored = page.messages.find((m: { text: string }) => m.text === "Deploy *done*");
    expect(sent.ts).to.equal(`${Math.floor(Date.parse(stored.sentAt) / 1000)}.${String(stored.seq).padStart(6, "0")}`);

    expect(await slack.chat.update({ channel: general, ts: sent.ts!, text: "Deploy done, for real" })).to.deep.include({ ok: true, channel: general, ts: sent.ts, text: "Deploy done, for real" });
    await slack.reactions.add({ channel: general, timestamp: sent.ts!, name: "tada" });
    await slackClient(api(), ann.token).reactions.add({ channel: general, timestamp: sent.ts!, name: "tada" });
    await slack.reactions.add({ channel: general, timestamp: sent.ts!, name: "tada" }); // already there: ok, no change
    await idle();
    const [latest] = (await slack.conversations.history({ channel: general, limit: 1 })).messages ?? [];
    expect(latest).to.deep.include({ type: "message", user: ben.userId, text: "Deploy done, for real", ts: sent.ts });
    expect(latest?.edited?.user).to.equal(ben.userId);
    expect(latest?.reactions).to.deep.equal([{ name: "tada", count: 2, users: [ben.userId, ann.userId] }]);

    await slack.reactions.remove({ channel: general, timestamp: sent.ts!, name: "tada" });
    await idle();
    const [unreacted] = (await slack.conversations.history({ channel: general, limit: 1 })).messages ?? [];
    expect(unreacted?.reactions).to.deep.equal([{ name: "tada", count: 1, users: [ann.userId] }]);

    expect(await slack.chat.delete({ channel: general, ts: sent.ts! })).to.deep.include({ ok: true, channel: general, ts: sent.ts });
    await idle();
    const after = (await slack.conversations.history({ channel: general })).messages ?? [];
    expect(after.map((m) => m.ts)).to.not.include(sent.ts);
    expect(await slackErrorOf(slack.chat.delete({ channel: general, ts: sent.ts! }))).to.equal("message_not_found");
  });

  it("thread_ts makes a reply: in conversations.replies after its root, in the thread's view, and counted on the root in history", async () => {
    const root = await slack.chat.postMessage({ channel: general, text: "Lunch?" });
    const reply = await slackClient(api(), ann.token).chat.postMessage({ channel: general, text: "yes", thread_ts: root.ts! });
    expect(reply.message).to.deep.include({ thread_ts: root.ts, text: "yes", user: ann.userId });
    const nested = await slack.chat.postMessage({ channel: general, text: "noon", thread_ts: reply.ts! }); // a reply's ts: its thread, as on Slack
    expect(nested.message?.thread_ts).to.equal(root.ts);
    await idle();
    const thread = await slack.conversations.replies({ channel: general, ts: root.ts! });
    expect(thread.messages?.map((m) => [m.ts, m.text, m.thread_ts])).to.deep.equal([
      [root.ts, "Lunch?", root.ts],
      [reply.ts, "yes", root.ts],
      [nested.ts, "noon", root.ts],
    ]);
    expect(thread.messages?.[0]).to.deep.include({ reply_count: 2, reply_users: [ann.userId, ben.userId] });
    const history = (await slack.conversations.history({ channel: general })).messages ?? [];
    expect(history.map((m) => m.ts)).to.not.include(reply.ts);
    expect(history.find((m) => m.ts === root.ts)).to.deep.include({ reply_count: 2, thread_ts: root.ts });
    const page = (await view(api(), ann.token, `channels/${general}/pages/0`)).body;
    const rootId = page.messages.find((m: { text: string }) => m.text === "Lunch?").messageId;
    const replies = (await view(api(), ann.token, `channels/${general}/threads/${rootId}/pages/0`)).body;
    expect(replies.messages.map((m: { text: string }) => m.text)).to.deep.equal(["yes", "noon"]);
  });

  it("conversations.history pages newest first with limit and cursor, and honours oldest", async () => {
    const channel = channelOf(await post(api(), ben.token, { type: "channel_created", name: "paging" }));
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push((await slack.chat.postMessage({ channel, text: `m${i}` })).ts!);
    await idle();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await slack.conversations.history({ channel, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.messages!.length).to.be.at.most(2);
      seen.push(...page.messages!.map((m) => m.ts!));
      cursor = page.response_metadata?.next_cursor || undefined;
      expect(page.has_more).to.equal(cursor !== undefined);
    } while (cursor);
    expect(seen).to.deep.equal([...sent].reverse());
    const newer = await slack.conversations.history({ channel, oldest: sent[2]! });
    expect(newer.messages!.map((m) => m.ts)).to.deep.equal([sent[4], sent[3]]);
  });

  it("conversations.list types=im lists a DM of two with the other person, and its messages read as a channel's", async () => {
    const dm = (await post(api(), ann.token, { type: "dm_opened", memberIds: [ben.userId] })).body.channelId as string;
    const hello = await slackClient(api(), ann.token).chat.postMessage({ channel: dm, text: "psst" });
    await idle();
    const ims = await slack.conversations.list({ types: "im" });
    expect(ims.channels?.map((c) => [c.id, c.is_im, c.user])).to.deep.equal([[dm, true, ann.userId]]);
    expect((await slack.conversations.list({ types: "public_channel" })).channels?.map((c) => c.id)).to.not.include(dm);
    expect((await slack.conversations.history({ channel: dm })).messages?.map((m) => [m.ts, m.text])).to.deep.equal([[hello.ts, "psst"]]);
  });

  it("users.list and users.info: people in Slack's shape; an unknown one is user_not_found", async () => {
    const list = await slack.users.list({});
    const ids = list.members?.map((m) => m.id);
    expect(ids).to.include.members([ann.userId, ben.userId]);
    expect(list.members?.find((m) => m.id === ann.userId)).to.deep.include({ name: "Ann", real_name: "Ann", is_bot: false, deleted: false });
    expect((await slack.users.info({ user: ben.userId })).user).to.deep.include({ id: ben.userId, name: "Ben" });
    expect(await slackErrorOf(slack.users.info({ user: "nobody" }))).to.equal("user_not_found");
  });
});
