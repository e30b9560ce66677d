import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import type { ProjectionName } from "../../functions/domain/routes";
import { startSandbox } from "../../infra/local";
import { defaultHandlers } from "../../infra/local/handlers";
import { type DeadLetter, type DeadLetterQueue, redrive } from "../../scripts/redrive/deadLetters";
import { post, signUp, view } from "../support/chatApi";

function memoryQueue(letters: DeadLetter[]) {
  const removed: string[] = [];
  const kept: string[] = [];
  let given = false;
  const queue: DeadLetterQueue = {
    receive: async () => (given ? [] : ((given = true), letters)),
    remove: async (l) => void removed.push(l.id),
    keep: async (l) => void kept.push(l.id),
  };
  return { queue, removed, kept };
}

describe("redrive", function () {
  this.timeout(120_000);

  it("removes a letter only after its delivery succeeded, and counts per projection", async () => {
    const { queue, removed, kept } = memoryQueue([
      { id: "1", projection: "channel", event: {} },
      { id: "2", projection: "user", event: { fail: true } },
      { id: "3", projection: "channel", event: {} },
    ]);
    const report = await redrive(queue, async (l) => {
      if ((l.event as { fail?: boolean }).fail) throw new Error("still failing");
    });
    expect(report).to.deep.equal({ redriven: 2, failed: 1, byProjection: { channel: 2 } });
    expect(removed).to.deep.equal(["1", "3"]);
    expect(kept).to.deep.equal(["2"]);
  });

  it("npm run redrive hands the sandbox's dead letters to their projection, which catches up", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "chat-redrive-"));
    const real = defaultHandlers();
    const broken = (name: ProjectionName) => (name === "channel" ? async () => Promise.reject(new Error("projection down")) : real.projection(name));
    const sandbox = await startSandbox({ dataDir, port: 0, cognitoPort: 0, log: () => {}, retry: { maxAttempts: 1 }, handlers: { projection: broken } });
    try {
      const ann = await signUp(sandbox.urls.cognito, sandbox.clientId, "Ann");
      const created = await post(sandbox.urls.api, ann.token, { type: "channel_created", name: "later" });
      const channelId = created.body.stream.slice("channel-".length);
      await sandbox.bus.idle();
      expect(sandbox.bus.deadLetters()).to.deep.equal({ channel: 1 });
      expect((await view(sandbox.urls.api, ann.token, `channels/${channelId}`)).status).to.equal(404);
      const { stdout } = await promisify(execFile)("npx", ["tsx", "scripts/redrive.ts", "--data-dir", dataDir], { cwd: path.resolve(__dirname, "../..") });
      expect(stdout).to.match(/Re-drove 1 dead letter\(s\) \(channel 1\); 0 failed again/);
      expect((await view(sandbox.urls.api, ann.token, `channels/${channelId}`)).body).to.include({ name: "later", lastSeq: 1 });
      const file = sandbox.bus.deadLetterFile("channel");
      expect(existsSync(file) ? readFileSync(file, "utf8").trim() : "").to.equal("");
    } finally {
      await sandbox.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
