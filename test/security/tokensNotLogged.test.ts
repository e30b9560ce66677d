/**
 * Tokens never reach a log: with faults making every error path speak, the functions'
 * Powertools logger at DEBUG, and good and bad tokens sent over HTTP (header) and the
 * WebSocket (query), neither the sandbox's log nor anything written to stdout or stderr
 * holds a token's claims or signature. Nor do the archive, dead letters or views.
 */
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import WebSocket from "ws";
import type { Sandbox } from "../../infra/local";
import { type Person, post, signUp, view } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { cognitoLocalToken, strangerToken } from "../support/sandboxTokens";
import { newTally, postUntilDone, viewUntilDone } from "../faults/support";
import { capturedOutput } from "../support/capturedOutput";

describe("tokens are never logged", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  const sandboxLog: string[] = [];

  before(async () => {
    sandbox = await startTestSandbox({
      log: (level, message) => sandboxLog.push(`${level}: ${message}`),
      faults: { rates: { api: 0.2, "append-crash": 0.2, publish: 0.3, "s3-put": 0.3, projection: 0.3, duplicate: 0.2 }, seed: 99 },
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    });
  });
  after(() => disposeTestSandbox(sandbox));

  it("keeps every token out of the sandbox's log, the functions' logs, stdout and stderr", async () => {
    const tokens: string[] = [];
    const written = await capturedOutput(async () => {
      const api = sandbox.urls.api;
      const tally = newTally();
      const people: Person[] = [];
      for (const name of ["Tess", "Uma"]) people.push(await signUp(sandbox.urls.cognito, sandbox.clientId, name));
      const [tess, uma] = people as [Person, Person];
      tokens.push(tess.token, uma.token);
      const issuer = `${sandbox.urls.cognito}/${sandbox.userPoolId}`;
      const claims = { sub: tess.userId, name: tess.name };
      const bad = [
        await cognitoLocalToken({ issuer, audience: sandbox.clientId, expiresIn: -60, claims }),
        await cognitoLocalToken({ issuer: `${sandbox.urls.cognito}/local_elsewhere`, audience: sandbox.clientId, claims }),
        await strangerToken({ issuer, audience: sandbox.clientId, claims }),
        `${tess.token.slice(0, -4)}AAAA`,
      ];
      tokens.push(...bad);

      // Realtime: both listen (the token rides in the query), bad tokens knock.
      const sockets = await Promise.all(people.map((p) => connect(sandbox, p.token)));
      for (const token of bad) expect(await refused(sandbox, token)).to.equal(true);

      // Through the faults: channels, joins, messages, edits, views.
      const created = await postUntilDone(api, tess.token, { type: "channel_created", name: "quiet", private: true }, tally);
      const channelId = created.body.stream.replace(/^channel-/, "");
      await postUntilDone(api, tess.token, { type: "user_joined_channel", channelId, memberId: uma.userId }, tally);
      for (let i = 0; i < 15; i++) {
        const author = i % 2 ? uma : tess;
        const messageId = randomUUID();
        await postUntilDone(api, author.token, { type: "message_sent", channelId, messageId, text: `hello ${i} @Uma` }, tally);
        if (i % 5 === 0) await postUntilDone(api, author.token, { type: "message_edited", channelId, messageId, text: `edited ${i}` }, tally);
      }
      for (const p of people) for (const path of ["channels", `channels/${channelId}`, `channels/${channelId}/pages/0`, "users/me", "users/me/mentions"]) await viewUntilDone(api, p.token, path, tally);
      // Refusals of every kind, some carrying a token where it does not belong.
      for (const token of bad) {
        expect((await post(api, token, { type: "channel_created", name: "nope" })).status).to.equal(401);
        expect((await view(api, token, "channels")).status).to.equal(401);
      }
      expect((await post(api, `${tess.token}x`, { type: "channel_created", name: "nope" })).status).to.equal(401);
      await post(api, tess.token, { type: "message_sent", channelId, messageId: randomUUID(), text: tess.token, [tess.token]: tess.token });
      await post(api, tess.token, `{"type":"message_sent","text":"${tess.token}"`);
      await view(api, tess.token, `channels/${encodeURIComponent(tess.token)}`);

      await sandbox.bus.idle();
      for (const ws of sockets) ws.close();
      // 30 requests at the least (2 setup, 15 messages, 3 edits, 10 views), more when faults made clients retry.
      expect(tally.requests).to.be.at.least(30);
    });

    const logs = [...sandboxLog, ...written].join("\n");
    expect(sandboxLog.length + written.length, "something was logged").to.be.above(0);
    for (const token of tokens) {
      const [, claims, signature] = token.split(".");
      for (const part of [claims, signature]) if (part && part.length > 8) expect(logs.includes(part), "a token's part in the logs").to.equal(false);
    }
    expect(logs).to.not.match(/Bearer\s+ey/);

    // The data kept on disk holds none either (the archive, dead letters, views, sandbox files).
    const files = await listFiles(sandbox.dataDir, ["dynamodb", "cognito"]);
    for (const file of files) {
      const text = await readFile(file, "utf8");
      for (const token of tokens) expect(text.includes(token.split(".")[2]!), file).to.equal(false);
    }
  });
});

function connect(sandbox: Sandbox, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${sandbox.urls.ws}?token=${encodeURIComponent(token)}`);
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

function refused(sandbox: Sandbox, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${sandbox.urls.ws}?token=${encodeURIComponent(token)}`);
    ws.on("error", () => undefined); // terminate() before the handshake reports one
    ws.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode === 401);
      ws.terminate();
    });
    ws.once("open", () => {
      resolve(false);
      ws.close();
    });
  });
}

async function listFiles(dir: string, skip: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.includes(entry.name)) found.push(...(await listFiles(full, [])));
    } else found.push(full);
  }
  return found;
}
