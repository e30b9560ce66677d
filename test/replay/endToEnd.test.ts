/**
 * Replay end to end, with the real handlers (mentions included): the views the API serves after live
 * processing are snapshotted; the views' storage is wiped (`<dataDir>/s3`); a replay from
 * before the first event into every projection brings back every view byte for byte.
 * Once through the running sandbox, once through the sandbox `npm run replay` starts
 * in-process when none is running.
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import { startSandbox, type Sandbox } from "../../infra/local";
import { silentLog } from "../../infra/local/context";
import { localEventBridge } from "../../scripts/replay/local";
import { realSleep } from "../../scripts/replay/poll";
import { runReplay } from "../../scripts/replay/run";
import { localReplayTarget } from "../../scripts/replay/target";
import { type Person, post, signUp } from "../support/chatApi";
import { removeDir, tempDataDir } from "../support/sandboxContext";
import { signIn } from "../support/sandboxUsers";
import { clientOf } from "./support";

const password = "Correct-Horse-9"; // what test/support/chatApi.ts signs people up with

describe("replay end to end: wiped views come back byte for byte", function () {
  this.timeout(120_000);
  let dataDir: string;
  let sandbox: Sandbox | undefined;
  let people: Person[];
  let channels: string[];
  let threads: { channelId: string; messageId: string }[] = [];
  let snapshot: Map<string, string>;
  const from = new Date(Date.now() - 60_000);

  const start = () => startSandbox({ dataDir, port: 0, cognitoPort: 0, log: silentLog });
  const accepted = async (person: Person, body: object) => {
    const answer = await post(sandbox!.urls.api, person.token, body);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
    return answer.body as { stream: string };
  };

  /** Every view the API serves to each person, raw: `<person> <path>` → `<status> <body>`. */
  async function views(): Promise<Map<string, string>> {
    const read = async (person: Person, view: string) => {
      const response = await fetch(`${sandbox!.urls.api}/views/${view}`, { headers: { authorization: `Bearer ${person.token}` } });
      return `${response.status} ${await response.text()}`;
    };
    const seen = new Map<string, string>();
    for (const person of people) {
      const paths = ["channels", "users", "users/me"];
      const mentions = await read(person, "users/me/mentions");
      const mentionPages = mentions.startsWith("200 ") ? (JSON.parse(mentions.slice(4)) as { pageCount: number }).pageCount : 1;
      for (let page = 0; page < mentionPages; page++) paths.push(`users/me/mentions/pages/${page}`);
      for (const channel of channels) {
        paths.push(`channels/${channel}`);
        const head = await read(person, `channels/${channel}`);
        const pageCount = head.startsWith("200 ") ? (JSON.parse(head.slice(4)) as { pageCount: number }).pageCount : 0;
        for (let page = 0; page < pageCount; page++) paths.push(`channels/${channel}/pages/${page}`);
      }
      for (const thread of threads) paths.push(`channels/${thread.channelId}/threads/${thread.messageId}`, `channels/${thread.channelId}/threads/${thread.messageId}/pages/0`);
      for (const view of paths) seen.set(`${person.name} ${view}`, await read(person, view));
      const search = await fetch(`${sandbox!.urls.api}/search?q=`, { headers: { authorization: `Bearer ${person.token}` } });
      seen.set(`${person.name} search`, `${search.status} ${await search.text()}`);
    }
    return seen;
  }

  async function wipeViewsAndRestart(): Promise<void> {
    await sandbox!.stop();
    sandbox = undefined;
    await rm(path.join(dataDir, "s3"), { recursive: true, force: true });
    sandbox = await start();
    await signInAgain();
  }

  /** Cognito moved to another port: the old tokens' issuer is gone, so sign in again. */
  async function signInAgain(): Promise<void> {
    for (const person of people) person.token = await signIn(sandbox!, person.email, password);
  }

  async function replayEverything(): Promise<number> {
    const local = await localEventBridge(dataDir);
    const client = clientOf(local.endpoint);
    try {
      return await runReplay({
        client,
        target: localReplayTarget(),
        args: { from, to: new Date() },
        name: `e2e-${randomUUID().slice(0, 8)}`,
        now: () => new Date(),
        sleep: realSleep,
        intervalMs: 50,
        progress: () => {},
        say: () => {},
      });
    } finally {
      client.destroy();
      await local.finish();
    }
  }

  before(async () => {
    dataDir = await tempDataDir();
    sandbox = await start();
    const { cognito } = sandbox.urls;
    people = [await signUp(cognito, sandbox.clientId, "Alice"), await signUp(cognito, sandbox.clientId, "Bob")];
    const [alice, bob] = people as [Person, Person];
    const channelOf = (answer: { stream: string }) => answer.stream.replace(/^channel-/, "");
    const general = channelOf(await accepted(alice, { type: "channel_created", name: "general", topic: "Everything" }));
    const secret = channelOf(await accepted(alice, { type: "channel_created", name: "secret", private: true }));
    const random = channelOf(await accepted(bob, { type: "channel_created", name: "random" }));
    channels = [general, secret, random];
    await accepted(bob, { type: "user_joined_channel", channelId: general });
    await accepted(alice, { type: "user_joined_channel", channelId: random });
    await accepted(alice, { type: "user_left_channel", channelId: random });
    const sent: string[] = [];
    for (let i = 0; i < 55; i++) {
      const messageId = randomUUID();
      sent.push(messageId);
      const text = i % 5 === 3 ? `message ${i} for @${i % 2 ? "alice" : "bob"}` : `message ${i}`;
      await accepted(i % 2 ? bob : alice, { type: "message_sent", channelId: general, messageId, text });
    }
    await accepted(alice, { type: "message_edited", channelId: general, messageId: sent[0]!, text: "message 0, edited after its page was sealed" });
    await accepted(bob, { type: "message_deleted", channelId: general, messageId: sent[1]! });
    await accepted(bob, { type: "message_edited", channelId: general, messageId: sent[53]!, text: "message 53, edited" });
    // Reactions on the sealed page (its edits document) and the open page; one taken back.
    await accepted(bob, { type: "reaction_added", channelId: general, messageId: sent[0]!, emoji: "tada" });
    await accepted(alice, { type: "reaction_added", channelId: general, messageId: sent[0]!, emoji: "+1" });
    await accepted(alice, { type: "reaction_added", channelId: general, messageId: sent[0]!, emoji: "tada" });
    await accepted(bob, { type: "reaction_removed", channelId: general, messageId: sent[0]!, emoji: "tada" });
    await accepted(alice, { type: "reaction_added", channelId: general, messageId: sent[54]!, emoji: "eyes" });
    await accepted(alice, { type: "message_sent", channelId: secret, messageId: randomUUID(), text: "only for members, not @bob" });
    // A DM (CONTRACT §11) with a mention in it.
    const dm = ((await accepted(bob, { type: "dm_opened", memberIds: [alice.userId] })) as { channelId?: string }).channelId!;
    channels.push(dm);
    await accepted(bob, { type: "message_sent", channelId: dm, messageId: randomUUID(), text: "just us, @alice" });
    // Threads (CONTRACT §9): a reply on a sealed page's message, edited and reacted to; one in the private channel.
    const reply = randomUUID();
    await accepted(bob, { type: "message_sent", channelId: general, messageId: reply, threadId: sent[2]!, text: "a reply for @alice" });
    await accepted(bob, { type: "message_edited", channelId: general, messageId: reply, text: "a reply for @alice, edited" });
    await accepted(alice, { type: "reaction_added", channelId: general, messageId: reply, emoji: "+1" });
    const secretRoot = randomUUID();
    await accepted(alice, { type: "message_sent", channelId: secret, messageId: secretRoot, text: "a thread of our own" });
    await accepted(alice, { type: "message_sent", channelId: secret, messageId: randomUUID(), threadId: secretRoot, text: "replied" });
    threads = [
      { channelId: general, messageId: sent[2]! },
      { channelId: secret, messageId: secretRoot },
    ];
    await sandbox.bus.idle();
    snapshot = await views();
  });

  after(async () => {
    await sandbox?.stop();
    if (dataDir) await removeDir(dataDir);
  });

  it("snapshots every view live processing made (sanity: sealed pages, private channels, both users)", () => {
    expect(snapshot.get("Alice channels/" + channels[0] + "/pages/1")).to.match(/^200 /);
    expect(snapshot.get("Bob channels/" + channels[1])).to.match(/^403 /);
    expect(snapshot.get(`Alice channels/${channels[0]}/threads/${threads[0]!.messageId}/pages/0`)).to.contain("a reply for @alice, edited");
    expect(snapshot.get(`Bob channels/${channels[1]}/threads/${threads[1]!.messageId}`)).to.match(/^403 /);
    expect(snapshot.get("Alice channels/" + channels[3] + "/pages/0")).to.contain("just us, @alice");
    expect(snapshot.get("Alice users/me/mentions/pages/0")).to.contain("just us, @alice");
    expect(snapshot.get("Alice channels/" + channels[0] + "/pages/0")).to.match(/"reactions":\[\{"emoji":"tada","count":1,[^\]]*\]\},\{"emoji":"\+1","count":1,/);
    expect(snapshot.get("Alice channels/" + channels[0] + "/pages/1")).to.include('"reactions":[{"emoji":"eyes","count":1,');
    expect(JSON.parse(snapshot.get("Bob users/me/mentions/pages/0")!.slice(4)).mentions).to.have.length.greaterThan(0);
    expect([...snapshot.values()].filter((v) => v.startsWith("200 ")).length).to.be.greaterThan(10);
    expect(sandbox!.bus.deadLetters()).to.deep.equal({});
  });

  it("through the running sandbox: after wiping <dataDir>/s3, a replay of everything restores every view exactly", async () => {
    await wipeViewsAndRestart();
    expect((await views()).get("Alice users")).to.match(/^404 /);
    expect(await replayEverything()).to.equal(0);
    await sandbox!.bus.idle();
    expect(sandbox!.bus.deadLetters()).to.deep.equal({});
    expect(Object.fromEntries(await views())).to.deep.equal(Object.fromEntries(snapshot));
  });

  it("with no sandbox running: the replay starts one in-process, and the next sandbox serves the same views", async () => {
    await sandbox!.stop();
    sandbox = undefined;
    await rm(path.join(dataDir, "s3"), { recursive: true, force: true });
    expect(await replayEverything()).to.equal(0);
    sandbox = await start();
    await signInAgain();
    expect(Object.fromEntries(await views())).to.deep.equal(Object.fromEntries(snapshot));
  });
});
