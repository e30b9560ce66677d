import { spawnSync } from "node:child_process";
import { access, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { expect } from "chai";
import { DataDirBusyError, startSandbox, type Sandbox } from "../../infra/local";
import { lockFile } from "../../infra/local/dataDirLock";
import { silentLog } from "../../infra/local/context";
import { close, listen } from "../../infra/local/listen";
import { removeDir, tempDataDir } from "../support/sandboxContext";
import { startTestSandbox } from "../support/sandboxFixture";

describe("startSandbox", function () {
  this.timeout(30_000);
  let dataDir: string;
  let sandbox: Sandbox | undefined;

  beforeEach(async () => {
    dataDir = await tempDataDir();
  });
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
    await removeDir(dataDir);
  });

  it("starts every service on loopback, on free ports, keeping its data under the data dir", async () => {
    sandbox = await startTestSandbox({ dataDir });
    const { web, api, ws, ...services } = sandbox.urls;
    expect(api).to.equal(`${web}/api`);
    expect(ws).to.equal(`${web.replace(/^http/, "ws")}/ws`);
    const ports = new Set(Object.values({ web, ...services }).map((url) => new URL(url).port));
    expect(ports.size).to.equal(Object.keys(services).length + 1);
    for (const url of Object.values(sandbox.urls)) expect(new URL(url).hostname).to.equal("127.0.0.1");
    for (const dir of ["endpoints.json"]) await access(path.join(dataDir, dir));
    for (const dir of ["dynamodb", "s3", "cognito", "sandbox.json"]) await access(path.join(dataDir, dir));
    expect(sandbox.bus.archiveFile).to.equal(path.join(dataDir, "archive", "chat-bus.jsonl"));
    expect(sandbox.bus.deadLetterFile("channel")).to.equal(path.join(dataDir, "dlq", "channel.jsonl"));
  });

  it("gives the handlers their AWS environment and endpoints, and puts process.env back on stop", async () => {
    process.env.AWS_ENDPOINT_URL_S3 = "http://previous.example";
    delete process.env.EVENTS_TABLE;
    sandbox = await startTestSandbox({ dataDir });
    expect(process.env).to.include({
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_ENDPOINT_URL_DYNAMODB: sandbox.urls.dynamodb,
      AWS_ENDPOINT_URL_S3: sandbox.urls.s3,
      AWS_ENDPOINT_URL_EVENTBRIDGE: sandbox.urls.eventbridge,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: sandbox.urls.cognito,
      EVENTS_TABLE: "chat-events",
      VIEWS_BUCKET: "chat-views",
      EVENT_BUS_NAME: "chat-bus",
      USER_POOL_ID: sandbox.userPoolId,
    });
    await sandbox.stop();
    sandbox = undefined;
    expect(process.env.AWS_ENDPOINT_URL_S3).to.equal("http://previous.example");
    expect(process.env.EVENTS_TABLE).to.equal(undefined);
    delete process.env.AWS_ENDPOINT_URL_S3;
  });

  it("fails to start when the web port is taken, after stopping what it had started", async () => {
    const blocker = createServer();
    const port = await listen(blocker, 0);
    try {
      const failed = await startSandbox({ dataDir, port, cognitoPort: 0, log: silentLog }).catch((e: unknown) => e);
      expect((failed as NodeJS.ErrnoException).code).to.equal("EADDRINUSE");
    } finally {
      await close(blocker);
    }
    // The LevelDB lock was released: the same data dir starts again.
    sandbox = await startTestSandbox({ dataDir });
  });

  it("holds <dataDir>/sandbox.lock with its pid while it runs, taking over the lock of a process that is gone", async () => {
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(lockFile(dataDir), `${gone}\n`);
    sandbox = await startTestSandbox({ dataDir });
    expect(await readFile(lockFile(dataDir), "utf8")).to.equal(`${process.pid}\n`);
    await sandbox.stop();
    sandbox = undefined;
    const left = await access(lockFile(dataDir)).then(() => "still there", () => "removed");
    expect(left).to.equal("removed");
  });

  it("refuses a data dir that a live process holds, naming it, before starting anything", async () => {
    await writeFile(lockFile(dataDir), `${process.ppid}\n`);
    const failed = await startTestSandbox({ dataDir }).catch((e: unknown) => e);
    expect(failed).to.be.instanceOf(DataDirBusyError);
    expect((failed as Error).message).to.equal(`another sandbox (pid ${process.ppid}) is running on ${dataDir}; stop it first, or start this one with another --data-dir`);
    expect(await readFile(lockFile(dataDir), "utf8")).to.equal(`${process.ppid}\n`);
    const dynamodb = await access(path.join(dataDir, "dynamodb")).then(() => "created", () => "absent");
    expect(dynamodb).to.equal("absent");
  });

  it("refuses a second sandbox on the data dir of one running in this process", async () => {
    sandbox = await startTestSandbox({ dataDir });
    const failed = await startTestSandbox({ dataDir }).catch((e: unknown) => e);
    expect(failed).to.be.instanceOf(DataDirBusyError);
    expect((await fetch(`${sandbox.urls.web}/config.json`)).status).to.equal(200);
  });
});
