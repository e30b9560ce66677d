/**
 * CONTRACT §14 end to end through the sandbox: channel_renamed, channel_topic_set, the
 * creator removing someone, user_renamed, and read marks. Each rule with its refusals
 * (nothing stored for a refused request), and the views following.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { startSandbox } from "../../infra/local";
import { type Person, post, putReadMark, signUp, view } from "../support/chatApi";
import { listen, pushedWhere } from "../support/socket";

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

describe("channel settings, profile and read state (CONTRACT §14) through the sandbox", function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let dataDir: string;
  let api: string;
  let ann: Person;
  let ben: Person;
  let cat: Person;

  /** Events stored (the read-mark items are state, not events: counted apart). */
  const storedEvents = async () => {
    const db = new DynamoDBClient({ endpoint: sandbox.urls.dynamodb, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    const scan = await db.send(new ScanCommand({ TableName: "chat-events", ProjectionExpression: "pk, sk" }));
    return (scan.Items ?? []).filter((i) => Number(i.sk?.N) > 0).length;
  };
  const create = async (who: Person, name: string, extra: object = {}) => {
    const answer = await post(api, who.token, { type: "channel_created", name, ...extra });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
    return answer.body.stream.slice("channel-".length) as string;
  };
  const accepted = async (who: Person, body: object) => {
    const answer = await post(api, who.token, body);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
    return answer.body as { seq: number; stream: string };
  };
  const refusedWith = async (status: number, code: string, send: () => Promise<{ status: number; body: any }>) => {
    const before = await storedEvents();
    const answer = await send();
    expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
    expect(answer.body.error.code).to.equal(code);
    expect(await storedEvents()).to.equal(before);
  };

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "chat-settings-"));
    sandbox = await startSandbox({ dataDir, port: 0, cognitoPort: 0 });
    api = sandbox.urls.api;
    [ann, ben, cat] = (await Promise.all(["Ann Lee", "Ben", "Cat"].map((n) => signUp(sandbox.urls.cognito, sandbox.clientId, n)))) as [Person, Person, Person];
    await sandbox.bus.idle();
  });

  after(async () => {
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe("channel_renamed and channel_topic_set", () => {
    it("let a member rename the channel and set its topic; both channel views follow", async () => {
      const id = await create(ann, "plans", { topic: "old" });
      await accepted(ben, { type: "user_joined_channel", channelId: id });
      await accepted(ben, { type: "channel_renamed", channelId: id, name: "roadmap" });
      await accepted(ben, { type: "channel_topic_set", channelId: id, topic: "Q3 and beyond" });
      await sandbox.bus.idle();
      const head = await view(api, cat.token, `channels/${id}`);
      expect(head.body).to.deep.include({ name: "roadmap", topic: "Q3 and beyond" });
      const listed = (await view(api, cat.token, "channels")).body.channels.find((c: { channelId: string }) => c.channelId === id);
      expect(listed).to.deep.include({ name: "roadmap", topic: "Q3 and beyond" });
      expect(head.body.activity.map((a: { type: string }) => a.type)).to.deep.equal(["user_joined_channel", "channel_renamed", "channel_topic_set"]);
    });

    it("free the old name for another channel and hold the new one", async () => {
      const id = await create(ann, "before-rename");
      await accepted(ann, { type: "channel_renamed", channelId: id, name: "after-rename" });
      await refusedWith(409, "name_taken", () => post(api, ben.token, { type: "channel_created", name: "after-rename" }));
      await create(ben, "before-rename");
      // Renamed back is refused now: another channel holds that name.
      await refusedWith(409, "name_taken", () => post(api, ann.token, { type: "channel_renamed", channelId: id, name: "before-rename" }));
    });

    it("refuse non-members (even of a public channel), bad names and topics, unknown channels and the same name", async () => {
      const id = await create(ann, "settings-rules");
      await refusedWith(403, "not_member", () => post(api, cat.token, { type: "channel_renamed", channelId: id, name: "hijacked" }));
      await refusedWith(403, "not_member", () => post(api, cat.token, { type: "channel_topic_set", channelId: id, topic: "spam" }));
      await refusedWith(400, "invalid_field", () => post(api, ann.token, { type: "channel_renamed", channelId: id, name: "Bad Name" }));
      await refusedWith(400, "invalid_field", () => post(api, ann.token, { type: "channel_topic_set", channelId: id, topic: "t".repeat(251) }));
      await refusedWith(404, "channel_not_found", () => post(api, ann.token, { type: "channel_renamed", channelId: randomUUID(), name: "nowhere" }));
      await refusedWith(409, "name_unchanged", () => post(api, ann.token, { type: "channel_renamed", channelId: id, name: "settings-rules" }));
    });

    it("answer a retried rename with the same Idempotency-Key as the first time, storing it once", async () => {
      const id = await create(ann, "idem-rename");
      const key = { "idempotency-key": randomUUID() };
      const first = await post(api, ann.token, { type: "channel_renamed", channelId: id, name: "idem-renamed" }, key);
      expect(first.status).to.equal(202);
      const stored = await storedEvents();
      const again = await post(api, ann.token, { type: "channel_renamed", channelId: id, name: "idem-renamed" }, key);
      expect(again.status).to.equal(202);
      expect(again.body).to.deep.equal(first.body);
      expect(await storedEvents(), "nothing stored by the retry").to.equal(stored);
      // The same for a person's rename, in their own stream.
      const rename = { "idempotency-key": randomUUID() };
      const dee = await signUp(sandbox.urls.cognito, sandbox.clientId, "Dee");
      const renamed = await post(api, dee.token, { type: "user_renamed", name: "Dee Idem" }, rename);
      const retried = await post(api, dee.token, { type: "user_renamed", name: "Dee Idem" }, rename);
      expect(renamed.status).to.equal(202);
      expect(retried.body).to.deep.equal(renamed.body);
    });
  });

  describe("user_left_channel with memberId: the creator removes someone", () => {
    it("removes the member: their views and the channel's let go, their socket hears of it, and they may no longer post", async () => {
      const id = await create(ann, "secret-room", { private: true });
      await accepted(ann, { type: "user_joined_channel", channelId: id, memberId: ben.userId });
      await sandbox.bus.idle();
      const socket = await listen(sandbox, ben.token);
      try {
        const removed = await accepted(ann, { type: "user_left_channel", channelId: id, memberId: ben.userId });
        const pushed = await pushedWhere(socket.received, (p) => p.event.type === "user_left_channel" && p.event.seq === removed.seq);
        expect(pushed.event).to.deep.include({ userId: ann.userId, memberId: ben.userId });
      } finally {
        socket.ws.close();
      }
      await sandbox.bus.idle();
      expect((await view(api, ben.token, "users/me")).body.channels).to.not.include(id);
      expect((await view(api, ann.token, `channels/${id}`)).body.members).to.deep.equal([ann.userId]);
      expect((await view(api, ben.token, `channels/${id}`)).status).to.equal(403);
      expect((await view(api, ben.token, "channels")).body.channels.map((c: { channelId: string }) => c.channelId)).to.not.include(id);
      await refusedWith(403, "not_member", () => post(api, ben.token, { type: "message_sent", channelId: id, messageId: randomUUID(), text: "still here?" }));
    });

    it("refuses a removal by anyone but the creator, and of someone not in the channel", async () => {
      const id = await create(ann, "open-room");
      await accepted(ben, { type: "user_joined_channel", channelId: id });
      await accepted(cat, { type: "user_joined_channel", channelId: id });
      await refusedWith(403, "forbidden", () => post(api, ben.token, { type: "user_left_channel", channelId: id, memberId: cat.userId }));
      await refusedWith(403, "forbidden", () => post(api, ben.token, { type: "user_left_channel", channelId: id, memberId: ann.userId }));
      await accepted(ann, { type: "user_left_channel", channelId: id, memberId: cat.userId });
      await refusedWith(409, "not_in_channel", () => post(api, ann.token, { type: "user_left_channel", channelId: id, memberId: cat.userId }));
    });
  });

  describe("user_renamed", () => {
    it("renames the caller in their own stream; views/users, views/users/me and others' sockets follow; old messages keep the userId", async () => {
      const id = await create(cat, "renames");
      const message = randomUUID();
      await accepted(cat, { type: "message_sent", channelId: id, messageId: message, text: "before the rename" });
      const socket = await listen(sandbox, ann.token);
      try {
        const answer = await accepted(cat, { type: "user_renamed", name: "  Catherine  " });
        expect(answer.stream).to.equal(`user-${cat.userId}`);
        expect(answer.seq).to.equal(2);
        const pushed = await pushedWhere(socket.received, (p) => p.event.type === "user_renamed");
        expect(pushed.event).to.deep.include({ userId: cat.userId, name: "Catherine" });
      } finally {
        socket.ws.close();
      }
      await sandbox.bus.idle();
      expect((await view(api, ann.token, "users")).body.users).to.deep.include({ userId: cat.userId, name: "Catherine" });
      expect((await view(api, ann.token, "users")).body.users.every((u: object) => Object.keys(u).sort().join() === "name,userId")).to.equal(true);
      expect((await view(api, cat.token, "users/me")).body.name).to.equal("Catherine");
      const page = await view(api, ann.token, `channels/${id}/pages/0`);
      expect(page.body.messages[0]).to.deep.include({ userId: cat.userId, text: "before the rename" });
    });

    it("makes the new name mentionable, while the old one still reaches the person", async () => {
      await accepted(ben, { type: "user_renamed", name: "Benedict Cumber" });
      await sandbox.bus.idle();
      const id = await create(ann, "mentions-after-rename");
      await accepted(ben, { type: "user_joined_channel", channelId: id });
      await accepted(ann, { type: "message_sent", channelId: id, messageId: randomUUID(), text: "hi @benedict" });
      await accepted(ann, { type: "message_sent", channelId: id, messageId: randomUUID(), text: "hi @ben" });
      await sandbox.bus.idle();
      const texts = (await view(api, ben.token, "users/me/mentions")).body.mentions.map((m: { text: string }) => m.text);
      expect(texts).to.include.members(["hi @benedict", "hi @ben"]);
    });

    it("refuses a blank or too long name, another user's id and the same name, storing nothing", async () => {
      await refusedWith(400, "invalid_field", () => post(api, ann.token, { type: "user_renamed", name: "   " }));
      await refusedWith(400, "invalid_field", () => post(api, ann.token, { type: "user_renamed", name: "n".repeat(81) }));
      await refusedWith(400, "invalid_field", () => post(api, ann.token, { type: "user_renamed", name: "Mallory", userId: ben.userId }));
      await refusedWith(409, "name_unchanged", () => post(api, ann.token, { type: "user_renamed", name: "Ann Lee" }));
    });
  });

  describe("read marks", () => {
    let id: string;
    let last: number;
    before(async () => {
      id = await create(ann, "read-state");
      await accepted(ben, { type: "user_joined_channel", channelId: id });
      for (let i = 0; i < 3; i++) last = (await accepted(ann, { type: "message_sent", channelId: id, messageId: randomUUID(), text: `m${i}` })).seq;
      await sandbox.bus.idle();
    });

    it("keeps a member's mark, moving forward only, shown in their views/users/me only", async () => {
      expect((await putReadMark(api, ben.token, id, { seq: last - 1 })).status).to.equal(204);
      expect((await view(api, ben.token, "users/me")).body.readMarks).to.deep.equal({ [id]: last - 1 });
      expect((await putReadMark(api, ben.token, id, { seq: last })).status).to.equal(204);
      expect((await putReadMark(api, ben.token, id, { seq: 2 })).status).to.equal(204);
      expect((await view(api, ben.token, "users/me")).body.readMarks).to.deep.equal({ [id]: last });
      expect((await view(api, ann.token, "users/me")).body.readMarks).to.not.have.property(id);
    });

    it("moves forward only under concurrent marks from two browsers", async () => {
      const other = await create(cat, "race-marks");
      for (let i = 0; i < 5; i++) await accepted(cat, { type: "message_sent", channelId: other, messageId: randomUUID(), text: `r${i}` });
      const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((seq) => putReadMark(api, cat.token, other, { seq })));
      expect(answers.map((a) => a.status)).to.deep.equal([204, 204, 204, 204, 204, 204]);
      expect((await view(api, cat.token, "users/me")).body.readMarks[other]).to.equal(6);
    });

    it("refuses a non-member (even of a public channel) with 403, an unknown channel with 404, and bad bodies with 4xx", async () => {
      const refused = async (status: number, code: string, answer: Promise<{ status: number; body: any }>) => {
        const a = await answer;
        expect(a.status, JSON.stringify(a.body)).to.equal(status);
        expect(a.body.error.code).to.equal(code);
      };
      await refused(403, "not_member", putReadMark(api, cat.token, id, { seq: 1 }));
      await refused(404, "channel_not_found", putReadMark(api, ben.token, randomUUID(), { seq: 1 }));
      await refused(404, "channel_not_found", putReadMark(api, ben.token, "not-a-uuid", { seq: 1 }));
      await refused(400, "invalid_field", putReadMark(api, ben.token, id, { seq: 0 }));
      await refused(400, "invalid_field", putReadMark(api, ben.token, id, { seq: "3" }));
      await refused(400, "invalid_field", putReadMark(api, ben.token, id, { seq: 1, userId: cat.userId }));
      await refused(400, "invalid_field", putReadMark(api, ben.token, id, { seq: last + 100 }));
      await refused(400, "invalid_json", putReadMark(api, ben.token, id, "{"));
      await refused(415, "unsupported_media_type", putReadMark(api, ben.token, id, "{}", { "content-type": "text/plain" }));
      expect((await putReadMark(api, undefined, id, { seq: 1 })).status).to.equal(401);
      expect((await view(api, cat.token, "users/me")).body.readMarks).to.not.have.property(id);
    });

    it("leaves a channel's mark out of views/users/me once the user has left it", async () => {
      await putReadMark(api, ben.token, id, { seq: last });
      await accepted(ben, { type: "user_left_channel", channelId: id });
      await sandbox.bus.idle();
      expect((await view(api, ben.token, "users/me")).body.readMarks).to.not.have.property(id);
    });
  });
});
