import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { cognitoWritesDone, makeCognitoWritesSafe } from "../../infra/local/cognitoStorage";

interface Engine {
  write(data: unknown): Promise<void> | null;
}

describe("sandbox Cognito storage (cognito-local's StormDB files)", () => {
  it("writes one at a time and whole: the last of many overlapping saves is what the file holds", async () => {
    makeCognitoWritesSafe();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const LocalEngine = require("stormdb/src/engine/local.js") as new (file: string, options: object) => Engine;
    const dir = mkdtempSync(path.join(tmpdir(), "chat-stormdb-"));
    try {
      const file = path.join(dir, "pool.json");
      const engine = new LocalEngine(file, { async: true, serialize: (o: unknown) => JSON.stringify(o, null, 2) });
      // Long saves then short ones, unawaited, as concurrent sign-ups make them.
      const saves = Array.from({ length: 40 }, (_, i) => engine.write({ users: Array.from({ length: 40 - i }, (__, j) => `user-${i}-${j}-${"x".repeat(200)}`) }));
      await Promise.all(saves);
      await cognitoWritesDone();
      const saved = JSON.parse(readFileSync(file, "utf8")) as { users: string[] };
      expect(saved.users).to.have.length(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
