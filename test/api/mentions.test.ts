/** The mentions projection through the API, and back-filled from history by `npm run rebuild -- --projection mentions`. */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { startSandbox } from "../../infra/local";
import { type Person, post, signUp, view } from "../support/chatApi";

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

describe("mentions (views/users/me/mentions)", function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let dataDir: string;
  let ann: Person;
  let ben: Person;
  let cat: Person;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "chat-mentions-"));
    sandbox = await startSandbox({ dataDir, port: 0, cognitoPort: 0, log: () => {} });
    [ann, ben, cat] = await Promise.all(["Ann", "Ben Lee", "Cat"].map((n) => signUp(sandbox.urls.cognito, sandbox.clientId, n))) as [Person, Person, Person];
    await sandbox.bus.idle();
    const api = sandbox.urls.api;
    const open = (await post(api, ann.token, { type: "channel_created", name: "open" })).body.stream.slice(8);
    const secret = (await post(api, ann.token, { type: "channel_created", name: "secret", private: true })).body.stream.slice(8);
    await post(api, ben.token, { type: "user_joined_channel", channelId: open });
    await post(api, ann.token, { type: "message_sent", channelId: open, messageId: randomUUID(), text: "hello @ben, welcome" });
    const edited = randomUUID();
    await post(api, ann.token, { type: "message_sent", channelId: open, messageId: edited, text: "@benlee and @cat: standup?" });
    await post(api, ann.token, { type: "message_edited", channelId: open, messageId: edited, text: "@benlee and @cat: standup at ten" });
    const deleted = randomUUID();
    await post(api, ann.token, { type: "message_sent", channelId: open, messageId: deleted, text: "@ben never mind" });
    await post(api, ann.token, { type: "message_deleted", channelId: open, messageId: deleted });
    await post(api, ann.token, { type: "message_sent", channelId: secret, messageId: randomUUID(), text: "@ben is not in here" });
    await sandbox.bus.idle();
  });

  after(async () => {
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists the messages that name the user, newest first, edited, without deleted ones, nor any of a channel they were not in", async () => {
    const mine = (await view(sandbox.urls.api, ben.token, "users/me/mentions")).body;
    expect(mine.mentions.map((m: { text: string }) => m.text)).to.deep.equal(["@benlee and @cat: standup at ten", "hello @ben, welcome"]);
    expect(mine).to.include({ userId: ben.userId, page: 0, pageCount: 1 });
    const cats = (await view(sandbox.urls.api, cat.token, "users/me/mentions")).body;
    expect(cats.mentions, "Cat is in no channel").to.deep.equal([]);
    expect((await view(sandbox.urls.api, ann.token, "users/me/mentions")).body.mentions).to.deep.equal([]);
  });

  it("is filled again from history by a rebuild of that projection alone", async () => {
    const before = await view(sandbox.urls.api, ben.token, "users/me/mentions");
    const s3 = new S3Client({ endpoint: sandbox.urls.s3, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "chat-views", Prefix: "mentions/" }));
    await s3.send(new DeleteObjectsCommand({ Bucket: "chat-views", Delete: { Objects: (listed.Contents ?? []).map((o) => ({ Key: o.Key! })) } }));
    expect((await view(sandbox.urls.api, ben.token, "users/me/mentions")).body.mentions).to.deep.equal([]);
    await promisify(execFile)("npx", ["tsx", "scripts/rebuild.ts", "--projection", "mentions", "--data-dir", dataDir], { cwd: path.resolve(__dirname, "../..") });
    const after = await view(sandbox.urls.api, ben.token, "users/me/mentions");
    expect(after.body).to.deep.equal(before.body);
  });
});
