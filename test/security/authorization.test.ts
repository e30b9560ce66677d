/**
 * The authorization matrix, through the sandbox: every event type and view, asked by each
 * of {no token, expired token, token of another pool, token of another client, forged
 * signature, tampered claims, unsigned (alg none), non-member, member, author, other
 * member}, gets the contract's answer. The whole matrix is compared at once, so a failure
 * shows every cell that differs. Refusals store nothing.
 */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import WebSocket from "ws";
import type { Sandbox } from "../../infra/local";
import { type Answer, type Person, post, signUp, view } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { cognitoLocalToken, strangerToken } from "../support/sandboxTokens";
import { tableClient, tableSnapshot } from "../faults/support";

const badTokens = ["no token", "expired", "other pool", "other client", "forged signature", "tampered claims", "alg none"] as const;
const people = ["non-member", "member", "author", "other member"] as const;
type Bad = (typeof badTokens)[number];
type Role = (typeof people)[number];

/** `status code` of an answer, e.g. `403 not_member`. */
const cell = (answer: Answer) => `${answer.status}${answer.body?.error?.code ? ` ${answer.body.error.code}` : ""}`;

describe("authorization matrix", function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let api: string;
  let who: Record<Role, Person>;
  let targets: Record<Role, Person>;
  let bad: Record<Bad, string | undefined>;

  before(async () => {
    sandbox = await startTestSandbox();
    api = sandbox.urls.api;
    const names = ["Carol", "Bob", "Alice", "Erin", "T1", "T2", "T3", "T4"];
    const signed = await Promise.all(names.map((name) => signUp(sandbox.urls.cognito, sandbox.clientId, name)));
    who = { "non-member": signed[0]!, member: signed[1]!, author: signed[2]!, "other member": signed[3]! };
    targets = { "non-member": signed[4]!, member: signed[5]!, author: signed[6]!, "other member": signed[7]! };
    const issuer = `${sandbox.urls.cognito}/${sandbox.userPoolId}`;
    const author = who.author;
    const claims = { sub: author.userId, email: author.email, name: author.name };
    const [header, payload, signature] = author.token.split(".") as [string, string, string];
    const tamperedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: who["non-member"].userId })).toString("base64url");
    bad = {
      "no token": undefined,
      expired: await cognitoLocalToken({ issuer, audience: sandbox.clientId, expiresIn: -60, claims }),
      "other pool": await cognitoLocalToken({ issuer: `${sandbox.urls.cognito}/local_0therPool`, audience: sandbox.clientId, claims }),
      "other client": await cognitoLocalToken({ issuer, audience: "another-client-id", claims }),
      "forged signature": await strangerToken({ issuer, audience: sandbox.clientId, claims }),
      "tampered claims": `${header}.${tamperedPayload}.${signature}`,
      "alg none": `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`,
    };
  });
  after(() => disposeTestSandbox(sandbox));

  /** A public and a private channel: the author created both and posted in both; member and other member were added. */
  async function world() {
    const a = who.author;
    const make = async (isPrivate: boolean) => {
      const created = await post(api, a.token, { type: "channel_created", name: `w-${randomUUID().slice(0, 8)}`, private: isPrivate });
      expect(created.status).to.equal(202);
      const channelId = created.body.stream.replace(/^channel-/, "") as string;
      for (const role of ["member", "other member"] as const) {
        expect((await post(api, a.token, { type: "user_joined_channel", channelId, memberId: who[role].userId })).status).to.equal(202);
      }
      const messageId = randomUUID();
      expect((await post(api, a.token, { type: "message_sent", channelId, messageId, text: "by the author" })).status).to.equal(202);
      const replyId = randomUUID();
      expect((await post(api, a.token, { type: "message_sent", channelId, messageId: replyId, threadId: messageId, text: "a reply by the author" })).status).to.equal(202);
      return { channelId, messageId, replyId };
    };
    const [pub, priv] = [await make(false), await make(true)];
    await sandbox.bus.idle();
    return { public: pub, private: priv };
  }

  type Channel = { channelId: string; messageId: string; replyId: string };
  interface Row {
    name: string;
    body(role: Role, ch: Channel): Record<string, unknown>;
    /** Expected per role, for the public and the private channel. */
    expect: Record<"public" | "private", Record<Role, string>>;
  }

  const same = (answer: string): Record<Role, string> => ({ "non-member": answer, member: answer, author: answer, "other member": answer });
  const rows: Record<string, Row> = {
    message_sent: {
      name: "message_sent",
      body: (_r, ch) => ({ type: "message_sent", channelId: ch.channelId, messageId: randomUUID(), text: "hi" }),
      expect: { public: { ...same("202"), "non-member": "403 not_member" }, private: { ...same("202"), "non-member": "403 not_member" } },
    },
    message_edited: {
      name: "message_edited",
      body: (_r, ch) => ({ type: "message_edited", channelId: ch.channelId, messageId: ch.messageId, text: "changed" }),
      expect: {
        public: { "non-member": "403 not_member", member: "403 not_author", "other member": "403 not_author", author: "202" },
        private: { "non-member": "403 not_member", member: "403 not_author", "other member": "403 not_author", author: "202" },
      },
    },
    reply_sent: {
      name: "message_sent (a reply in a thread)",
      body: (_r, ch) => ({ type: "message_sent", channelId: ch.channelId, messageId: randomUUID(), threadId: ch.messageId, text: "re" }),
      expect: { public: { ...same("202"), "non-member": "403 not_member" }, private: { ...same("202"), "non-member": "403 not_member" } },
    },
    reply_edited: {
      name: "message_edited (a reply)",
      body: (_r, ch) => ({ type: "message_edited", channelId: ch.channelId, messageId: ch.replyId, text: "changed" }),
      expect: {
        public: { "non-member": "403 not_member", member: "403 not_author", "other member": "403 not_author", author: "202" },
        private: { "non-member": "403 not_member", member: "403 not_author", "other member": "403 not_author", author: "202" },
      },
    },
    add_other: {
      name: "user_joined_channel (adding someone else)",
      body: (role, ch) => ({ type: "user_joined_channel", channelId: ch.channelId, memberId: targets[role].userId }),
      expect: { public: { ...same("202"), "non-member": "403 forbidden" }, private: { ...same("202"), "non-member": "403 forbidden" } },
    },
    join_self: {
      name: "user_joined_channel (oneself)",
      body: (_r, ch) => ({ type: "user_joined_channel", channelId: ch.channelId }),
      expect: { public: { ...same("409 already_member"), "non-member": "202" }, private: { ...same("409 already_member"), "non-member": "403 forbidden" } },
    },
    message_deleted: {
      name: "message_deleted",
      body: (_r, ch) => ({ type: "message_deleted", channelId: ch.channelId, messageId: ch.messageId }),
      expect: {
        public: { "non-member": "403 not_member", member: "403 not_author", "other member": "403 not_author", author: "202" },
        private: { "non-member": "403 not_member", member: "403 not_author", "other member": "403 not_author", author: "202" },
      },
    },
    reaction_added: {
      name: "reaction_added",
      body: (_r, ch) => ({ type: "reaction_added", channelId: ch.channelId, messageId: ch.messageId, emoji: "thumbsup" }),
      expect: { public: { ...same("202"), "non-member": "403 not_member" }, private: { ...same("202"), "non-member": "403 not_member" } },
    },
    reaction_removed: {
      name: "reaction_removed",
      body: (_r, ch) => ({ type: "reaction_removed", channelId: ch.channelId, messageId: ch.messageId, emoji: "thumbsup" }),
      expect: { public: { ...same("202"), "non-member": "403 not_member" }, private: { ...same("202"), "non-member": "403 not_member" } },
    },
    user_left_channel: {
      name: "user_left_channel",
      body: (_r, ch) => ({ type: "user_left_channel", channelId: ch.channelId }),
      expect: { public: { ...same("202"), "non-member": "403 not_member" }, private: { ...same("202"), "non-member": "403 not_member" } },
    },
  };

  /** Runs a row's cells: refusals first (checking they store nothing), then the accepted ones. */
  async function run(row: Row, channels: Record<"public" | "private", Channel>) {
    const actual: Record<string, Record<Role, string>> = {};
    const db = tableClient(sandbox);
    for (const visibility of ["public", "private"] as const) {
      const expected = row.expect[visibility];
      const order = [...people].sort((a, b) => Number(expected[a] === "202") - Number(expected[b] === "202"));
      const got = {} as Record<Role, string>;
      const before = await tableSnapshot(db);
      for (const role of order) {
        if (expected[role] === "202") continue;
        got[role] = cell(await post(api, who[role].token, row.body(role, channels[visibility])));
      }
      expect(await tableSnapshot(db), `${row.name}: refusals stored nothing`).to.deep.equal(before);
      for (const role of order) {
        if (expected[role] !== "202") continue;
        got[role] = cell(await post(api, who[role].token, row.body(role, channels[visibility])));
      }
      actual[visibility] = got;
    }
    return actual;
  }

  it("answers each event type as the contract says, for each person", async () => {
    // Rows that cannot disturb each other share a world; deleting and leaving get their own.
    const first = await world();
    const second = await world();
    const plan: [string, Record<"public" | "private", Channel>][] = [
      ["message_sent", first],
      ["message_edited", first],
      ["reply_sent", first],
      ["reply_edited", first],
      ["reaction_added", first],
      ["reaction_removed", first],
      ["add_other", first],
      ["join_self", first],
      ["message_deleted", second],
      ["user_left_channel", second],
    ];
    const actual: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const [key, channels] of plan) {
      actual[key] = await run(rows[key]!, channels);
      expected[key] = rows[key]!.expect;
    }
    const created: Record<Role, string> = {} as Record<Role, string>;
    for (const role of people) created[role] = cell(await post(api, who[role].token, { type: "channel_created", name: `by-${randomUUID().slice(0, 8)}` }));
    actual.channel_created = created;
    expected.channel_created = same("202");
    expect(actual).to.deep.equal(expected);
  });

  it("answers 401 JSON with a WWW-Authenticate challenge to every bad token, for every route, and stores nothing", async () => {
    const { public: pub, private: priv } = await world();
    const db = tableClient(sandbox);
    const before = await tableSnapshot(db);
    const bodies: Record<string, unknown> = {
      channel_created: { type: "channel_created", name: "never" },
      user_joined_channel: { type: "user_joined_channel", channelId: pub.channelId },
      user_left_channel: { type: "user_left_channel", channelId: pub.channelId },
      message_sent: { type: "message_sent", channelId: pub.channelId, messageId: randomUUID(), text: "x" },
      message_edited: { type: "message_edited", channelId: pub.channelId, messageId: pub.messageId, text: "x" },
      message_deleted: { type: "message_deleted", channelId: pub.channelId, messageId: pub.messageId },
      reaction_added: { type: "reaction_added", channelId: pub.channelId, messageId: pub.messageId, emoji: "tada" },
    };
    const views = ["channels", `channels/${pub.channelId}`, `channels/${priv.channelId}/pages/0`, "users", "users/me", "users/me/mentions"];
    const actual: Record<string, Record<string, string>> = {};
    const expected: Record<string, Record<string, string>> = {};
    for (const token of badTokens) {
      actual[token] = {};
      expected[token] = {};
      for (const [type, body] of Object.entries(bodies)) {
        const answer = await post(api, bad[token], body);
        actual[token][`POST ${type}`] = `${cell(answer)}${answer.headers.get("www-authenticate")?.startsWith("Bearer") ? " +challenge" : ""}`;
        expected[token][`POST ${type}`] = "401 unauthorized +challenge";
      }
      for (const path of views) {
        const answer = bad[token] === undefined ? await fetch(`${api}/views/${path}`).then(async (r) => ({ status: r.status, body: await r.json(), headers: r.headers })) : await view(api, bad[token]!, path);
        actual[token][`GET ${path}`] = cell(answer as Answer);
        expected[token][`GET ${path}`] = "401 unauthorized";
      }
    }
    expect(actual).to.deep.equal(expected);
    expect(await tableSnapshot(db)).to.deep.equal(before);
  });

  it("shows the views to whom the contract says", async () => {
    const { public: pub, private: priv } = await world();
    const paths = {
      directory: "channels",
      "public head": `channels/${pub.channelId}`,
      "public page": `channels/${pub.channelId}/pages/0`,
      "private head": `channels/${priv.channelId}`,
      "private page": `channels/${priv.channelId}/pages/0`,
      "public thread": `channels/${pub.channelId}/threads/${pub.messageId}`,
      "public thread page": `channels/${pub.channelId}/threads/${pub.messageId}/pages/0`,
      "private thread": `channels/${priv.channelId}/threads/${priv.messageId}`,
      "private thread page": `channels/${priv.channelId}/threads/${priv.messageId}/pages/0`,
      users: "users",
      me: "users/me",
      mentions: "users/me/mentions",
    };
    const actual: Record<string, Record<Role, string>> = {};
    const expected: Record<string, Record<Role, string>> = {};
    for (const [name, path] of Object.entries(paths)) {
      actual[name] = {} as Record<Role, string>;
      for (const role of people) actual[name][role] = cell(await view(api, who[role].token, path));
      expected[name] = name.startsWith("private") ? { ...same("200"), "non-member": "403 forbidden" } : same("200");
    }
    expect(actual).to.deep.equal(expected);
    // The directory lists the private channel to its members only; users/me is the caller's own.
    for (const role of people) {
      const listed = (await view(api, who[role].token, "channels")).body.channels.map((c: { channelId: string }) => c.channelId);
      expect(listed.includes(priv.channelId), role).to.equal(role !== "non-member");
      expect(listed).to.include(pub.channelId);
      expect((await view(api, who[role].token, "users/me")).body.userId).to.equal(who[role].userId);
    }
  });

  it("refuses the realtime socket to every bad token, and opens it to a good one", async () => {
    const open = (token: string | undefined) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(token === undefined ? sandbox.urls.ws : `${sandbox.urls.ws}?token=${encodeURIComponent(token)}`);
        ws.on("unexpected-response", (_req, res) => {
          resolve(String(res.statusCode));
          ws.terminate();
        });
        ws.on("open", () => {
          resolve("open");
          ws.close();
        });
        ws.on("error", () => resolve("error"));
      });
    const actual: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const token of badTokens) {
      actual[token] = await open(bad[token]);
      expected[token] = "401";
    }
    for (const role of people) {
      actual[role] = await open(who[role].token);
      expected[role] = "open";
    }
    expect(actual).to.deep.equal(expected);
  });
});
