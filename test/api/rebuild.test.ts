/**
 * `npm run rebuild` end to end: views wiped with the sandbox's S3 data, then rebuilt from
 * the event store by the command, must come back byte for byte as live processing made them.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { startSandbox } from "../../infra/local";
import { type Person, post, signIn, signUp } from "../support/chatApi";

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const run = promisify(execFile);
const repo = path.resolve(__dirname, "../..");

/** Every view the API serves to these people, as the raw bodies. */
async function everyView(sandbox: Sandbox, people: Person[]): Promise<Record<string, string>> {
  const get = async (token: string, p: string) => {
    const response = await fetch(`${sandbox.urls.api}/views/${p}`, { headers: { authorization: `Bearer ${token}` } });
    return `${response.status} ${await response.text()}`;
  };
  const out: Record<string, string> = {};
  for (const person of people) {
    for (const p of ["channels", "users", "users/me", "users/me/mentions"]) out[`${person.name}:${p}`] = await get(person.token, p);
    // Search (CONTRACT §12): every message the person may read, page by page.
    for (let cursor = "", n = 0; n === 0 || cursor; n++) {
      const response = await fetch(`${sandbox.urls.api}/search?q=${cursor ? `&cursor=${cursor}` : ""}`, { headers: { authorization: `Bearer ${person.token}` } });
      const body = await response.text();
      out[`${person.name}:search/${n}`] = `${response.status} ${body}`;
      cursor = response.ok ? ((JSON.parse(body) as { cursor?: string }).cursor ?? "") : "";
    }
    const directory = JSON.parse((out[`${person.name}:channels`] ?? "").slice(4)) as { channels: { channelId: string }[] };
    for (const { channelId } of directory.channels) {
      const head = await get(person.token, `channels/${channelId}`);
      out[`${person.name}:channels/${channelId}`] = head;
      const pageCount = (JSON.parse(head.slice(4)) as { pageCount: number }).pageCount;
      for (let n = 0; n < pageCount; n++) {
        const page = await get(person.token, `channels/${channelId}/pages/${n}`);
        out[`${person.name}:channels/${channelId}/pages/${n}`] = page;
        // Each thread on the page (CONTRACT §9): its head and pages.
        for (const { messageId, replyCount } of (JSON.parse(page.slice(4)) as { messages: { messageId: string; replyCount?: number }[] }).messages) {
          if (!replyCount) continue;
          const thread = `channels/${channelId}/threads/${messageId}`;
          out[`${person.name}:${thread}`] = await get(person.token, thread);
          const threadPages = (JSON.parse((out[`${person.name}:${thread}`] ?? "").slice(4)) as { pageCount: number }).pageCount;
          for (let t = 0; t < threadPages; t++) out[`${person.name}:${thread}/pages/${t}`] = await get(person.token, `${thread}/pages/${t}`);
        }
      }
    }
  }
  return out;
}

describe("npm run rebuild", function () {
  this.timeout(120_000);
  let dataDir: string;
  let sandbox: Sandbox | undefined;
  let people: Person[];
  let live: Record<string, string>;

  const restart = async () => {
    await sandbox?.stop();
    sandbox = await startSandbox({ dataDir, port: 0, cognitoPort: 0, log: () => {} });
    people = await Promise.all(people.map((p) => signIn(sandbox!.urls.cognito, sandbox!.clientId, p.email, p.name)));
  };

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "chat-rebuild-"));
    sandbox = await startSandbox({ dataDir, port: 0, cognitoPort: 0, log: () => {} });
    const api = sandbox.urls.api;
    people = await Promise.all(["Ann", "Ben"].map((n) => signUp(sandbox!.urls.cognito, sandbox!.clientId, n)));
    const [ann, ben] = people as [Person, Person];
    const open = (await post(api, ann.token, { type: "channel_created", name: "open", topic: "all hands" })).body.stream.slice(8);
    await post(api, ann.token, { type: "channel_created", name: "closed", private: true });
    await post(api, ben.token, { type: "user_joined_channel", channelId: open });
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) {
      const messageId = randomUUID();
      ids.push(messageId);
      await post(api, i % 2 ? ann.token : ben.token, { type: "message_sent", channelId: open, messageId, text: `message ${i}` });
    }
    await post(api, ben.token, { type: "message_edited", channelId: open, messageId: ids[0], text: "edited on a sealed page" });
    await post(api, ann.token, { type: "message_deleted", channelId: open, messageId: ids[1] });
    await post(api, ann.token, { type: "message_edited", channelId: open, messageId: ids[119], text: "edited on the open page" });
    // Reactions on a sealed page (through its edits document) and on the open page, one taken back.
    for (const [who, id, emoji] of [[ben, ids[0], "tada"], [ann, ids[0], "+1"], [ann, ids[0], "tada"], [ann, ids[118], "eyes"], [ben, ids[118], "eyes"], [ann, ids[2], "x"]] as const) {
      await post(api, who.token, { type: "reaction_added", channelId: open, messageId: id, emoji });
    }
    await post(api, ann.token, { type: "reaction_removed", channelId: open, messageId: ids[0], emoji: "+1" });
    await post(api, ann.token, { type: "reaction_removed", channelId: open, messageId: ids[2], emoji: "x" });
    // A DM (CONTRACT §11), with a message, an edit and a mention in it.
    const dm = (await post(api, ben.token, { type: "dm_opened", memberIds: [ann.userId] })).body.channelId as string;
    const dmMessage = randomUUID();
    await post(api, ben.token, { type: "message_sent", channelId: dm, messageId: dmMessage, text: "psst @ann" });
    await post(api, ben.token, { type: "message_edited", channelId: dm, messageId: dmMessage, text: "psst @ann, lunch?" });
    await post(api, ann.token, { type: "message_sent", channelId: dm, messageId: randomUUID(), text: "sure" });
    // Threads (CONTRACT §9): on a sealed page's message and on the open page's, a reply edited, one reacted to, one in the DM.
    const reply = randomUUID();
    await post(api, ann.token, { type: "message_sent", channelId: open, messageId: reply, threadId: ids[2], text: "a reply on a sealed page, @ben" });
    await post(api, ann.token, { type: "message_edited", channelId: open, messageId: reply, text: "a reply, edited" });
    await post(api, ben.token, { type: "reaction_added", channelId: open, messageId: reply, emoji: "tada" });
    await post(api, ben.token, { type: "message_sent", channelId: open, messageId: randomUUID(), threadId: ids[118], text: "on the open page" });
    await post(api, ann.token, { type: "message_sent", channelId: dm, messageId: randomUUID(), threadId: dmMessage, text: "in the DM's thread" });
    await post(api, ann.token, { type: "reaction_added", channelId: dm, messageId: dmMessage, emoji: "+1" });
    await sandbox.bus.idle();
    live = await everyView(sandbox, people);
    expect(Object.keys(live).filter((k) => k.includes("/threads/")), "each person reads three threads' heads and pages").to.have.length(12);
    expect(Object.keys(live).filter((k) => k.includes("/pages/") && !k.includes("/threads/"))).to.have.length(8);
    expect(live[`Ann:channels/${dm}`]).to.match(/^200 \{"channelId":"[^"]+","kind":"dm","name":"","topic":"","private":true,/);
    expect(live["Ann:users/me/mentions"]).to.contain("psst @ann, lunch?");
    expect(live[`Ann:channels/${open}/pages/0`]).to.include(`"reactions":[{"emoji":"tada","count":2,"userIds":["${ben.userId}","${ann.userId}"]}]`);
    expect(live[`Ann:channels/${open}/pages/2`]).to.include(`"reactions":[{"emoji":"eyes","count":2,"userIds":["${ann.userId}","${ben.userId}"]}]`);
    expect(live[`Ann:channels/${dm}/pages/0`]).to.include(`"reactions":[{"emoji":"+1","count":1,"userIds":["${ann.userId}"]}]`);
  });

  after(async () => {
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("brings back every view, byte for byte, into the running sandbox after its S3 data was wiped", async () => {
    await sandbox?.stop();
    sandbox = undefined;
    rmSync(path.join(dataDir, "s3"), { recursive: true, force: true });
    await restart();
    expect((await everyView(sandbox!, people))["Ann:channels"]).to.match(/^200 \{"channels":\[\]\}$/);
    const { stdout } = await run("npx", ["tsx", "scripts/rebuild.ts", "--data-dir", dataDir], { cwd: repo });
    expect(stdout).to.match(/\| channel \| \d+ \|/);
    expect(await everyView(sandbox!, people)).to.deep.equal(live);
  });

  it("rebuilds from the data directory when no sandbox is running", async () => {
    await sandbox?.stop();
    sandbox = undefined;
    rmSync(path.join(dataDir, "s3"), { recursive: true, force: true });
    await run("npx", ["tsx", "scripts/rebuild.ts", "--data-dir", dataDir], { cwd: repo });
    await restart();
    expect(await everyView(sandbox!, people)).to.deep.equal(live);
  });

  it("refuses an unknown projection with the list of known ones", async () => {
    const failed = await run("npx", ["tsx", "scripts/rebuild.ts", "--projection", "nope", "--data-dir", dataDir], { cwd: repo }).catch((e: { stderr: string; code: number }) => e);
    expect(failed).to.include({ code: 1 });
    expect((failed as { stderr: string }).stderr).to.match(/Unknown projection "nope": choose one of channel, directory, user/);
  });
});
