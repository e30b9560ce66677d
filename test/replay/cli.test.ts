/**
 * The pieces of `npm run replay`: arguments, ARN resolution (sandbox and stack outputs),
 * progress lines, the poll loop on a fake clock, the whole run against a fake client and
 * against the sandbox it starts in-process when none is running.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { CancelReplayCommand, DescribeReplayCommand, type EventBridgeClient, StartReplayCommand } from "@aws-sdk/client-eventbridge";
import { expect } from "chai";
import { eventSource, projectionNames, type ProjectionName } from "../../functions/domain/routes";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../infra/local";
import type { ProjectionEvent } from "../../infra/local/handlers";
import { parseReplayArgs, UsageError, type ReplayArgs } from "../../scripts/replay/args";
import { localEventBridge } from "../../scripts/replay/local";
import { pollReplay } from "../../scripts/replay/poll";
import { renderProgress, type ReplayStatus } from "../../scripts/replay/progress";
import { replayName, runReplay, type RunReplayOptions } from "../../scripts/replay/run";
import { filterArns, localReplayTarget, stackReplayTarget } from "../../scripts/replay/target";
import { stackOutputs } from "../../scripts/stack";
import { removeDir, tempDataDir } from "../support/sandboxContext";
import { archiveArn, busArn, clientOf, replayRuleArn } from "./support";

const now = new Date("2026-06-01T12:00:00Z");
const parse = (...argv: string[]) => parseReplayArgs(argv, now) as ReplayArgs;
const usageError = (...argv: string[]) => {
  try {
    parseReplayArgs(argv, now);
  } catch (error) {
    expect(error).to.be.instanceOf(UsageError);
    return (error as Error).message;
  }
  return expect.fail("expected a UsageError");
};

describe("replay CLI: arguments", () => {
  it("reads --from, --to, --projection, --stack and --data-dir", () => {
    expect(parse("--from", "2026-01-02T03:04:05Z", "--to", "2026-01-03T00:00:00.5+02:00", "--projection", "user", "--stack", "dev", "--data-dir", "/tmp/d")).to.deep.equal({
      from: new Date("2026-01-02T03:04:05Z"),
      to: new Date("2026-01-02T22:00:00.500Z"),
      projection: "user",
      stack: "dev",
      dataDir: "/tmp/d",
    });
  });

  it("defaults --to to now, every projection, the local sandbox on .data", () => {
    expect(parse("--from", "2026-01-02")).to.deep.equal({ from: new Date("2026-01-02T00:00:00Z"), to: now, projection: undefined, stack: undefined, dataDir: ".data" });
  });

  it("answers help to --help", () => {
    expect(parseReplayArgs(["--help"], now)).to.equal("help");
  });

  it("requires --from", () => {
    expect(usageError("--to", "2026-01-02")).to.match(/--from .*required/);
  });

  for (const bad of ["yesterday", "2026-02-30", "2026-13-01", "2026-01-02T24:00:00Z", "1767323045", "2026-01-02 03:04:05Z"]) {
    it(`refuses --from ${bad}: not an ISO 8601 time`, () => {
      expect(usageError("--from", bad)).to.contain(`--from "${bad}" is not an ISO 8601 time`);
    });
  }

  it("refuses a date-time without its zone, saying so", () => {
    expect(usageError("--from", "2026-01-02T03:04:05")).to.match(/time zone/);
  });

  it("refuses --from after --to, and --from equal to --to", () => {
    expect(usageError("--from", "2026-01-03T00:00:00Z", "--to", "2026-01-02T00:00:00Z")).to.equal(
      "--from (2026-01-03T00:00:00.000Z) must be before --to (2026-01-02T00:00:00.000Z).",
    );
    expect(usageError("--from", "2026-01-02", "--to", "2026-01-02T00:00:00Z")).to.match(/must be before --to/);
  });

  it("refuses a --from in the future (after now, the default --to)", () => {
    expect(usageError("--from", "2027-01-01")).to.match(/must be before --to \(2026-06-01T12:00:00.000Z, now\)/);
  });

  it("refuses an unknown projection, listing the routing table's projections", () => {
    expect(usageError("--from", "2026-01-02", "--projection", "nope")).to.equal(`Unknown projection "nope". The projections are: ${projectionNames.join(", ")}.`);
  });

  it("refuses unknown options and stray arguments", () => {
    expect(usageError("--from", "2026-01-02", "--form", "x")).to.match(/--form/);
    expect(usageError("--from", "2026-01-02", "extra")).to.match(/extra/);
  });
});

describe("replay CLI: ARNs", () => {
  it("uses the sandbox's archive, bus and replay rules locally", () => {
    const target = localReplayTarget();
    expect(target).to.deep.include({ region: "us-east-1", archiveArn: "arn:aws:events:us-east-1:000000000000:archive/chat-archive", busArn: "arn:aws:events:us-east-1:000000000000:event-bus/chat-bus" });
    expect(target.replayRuleArns).to.deep.equal(Object.fromEntries(projectionNames.map((p) => [p, `arn:aws:events:us-east-1:000000000000:rule/chat-bus/chat-bus-${p}-replay`])));
  });

  it("names one projection's replay rule in FilterArns, or every projection's", () => {
    const target = localReplayTarget();
    expect(filterArns(target, "channel")).to.deep.equal([replayRuleArn("channel")]);
    expect(filterArns(target)).to.deep.equal(projectionNames.map(replayRuleArn));
  });

  const rules = (account = "123456789012") =>
    Object.fromEntries(projectionNames.map((p) => [p, `arn:aws:events:eu-west-1:${account}:rule/chat-bus-1a2b/${p}-replay-9f8e`]));

  it("takes a stack's archiveArn, eventBusArn and replayRuleArns, and its region from them", () => {
    const outputs = { archiveArn: "arn:aws:events:eu-west-1:123456789012:archive/chat-archive-77", eventBusArn: "arn:aws:events:eu-west-1:123456789012:event-bus/chat-bus-1a2b", replayRuleArns: rules(), siteUrl: "https://x" };
    const target = stackReplayTarget("dev", outputs);
    expect(target).to.deep.equal({ where: "stack dev", region: "eu-west-1", archiveArn: outputs.archiveArn, busArn: outputs.eventBusArn, replayRuleArns: rules() });
    expect(filterArns(target, "user")).to.deep.equal([rules().user]);
  });

  it("builds the archive's ARN from archiveName and the bus's ARN when there is no archiveArn", () => {
    const target = stackReplayTarget("dev", { archiveName: "chat-archive-77", eventBusArn: "arn:aws:events:eu-west-1:123456789012:event-bus/chat-bus-1a2b", replayRuleArns: rules() });
    expect(target.archiveArn).to.equal("arn:aws:events:eu-west-1:123456789012:archive/chat-archive-77");
  });

  it("says which output is missing", () => {
    expect(() => stackReplayTarget("dev", { replayRuleArns: rules() })).to.throw(/neither an "archiveArn" nor an "eventBusArn"/);
    expect(() => stackReplayTarget("dev", { archiveArn: "arn:aws:events:eu-west-1:1:archive/a", replayRuleArns: rules() })).to.throw(/"eventBusArn" or "eventBusName"/);
    expect(() => stackReplayTarget("dev", { archiveArn: "arn:aws:events:eu-west-1:1:archive/a", eventBusName: "b" })).to.throw(/"replayRuleArns"/);
  });

  it("refuses a projection the stack has no replay rule for, saying what it has", () => {
    const target = stackReplayTarget("dev", { archiveArn: "arn:aws:events:eu-west-1:1:archive/a", eventBusName: "b", replayRuleArns: { channel: "arn:c" } });
    expect(() => filterArns(target, "user")).to.throw("stack dev has no replay rule for user (it has channel): deploy the projection first.");
    expect(() => filterArns(target)).to.throw(/no replay rule for/);
  });

  it("reads a stack's outputs with `pulumi stack output --json --stack <name>`", async () => {
    const calls: Array<[string, string[]]> = [];
    const outputs = await stackOutputs("dev", async (file, args) => {
      calls.push([file, args]);
      return JSON.stringify({ archiveArn: "arn:a" });
    });
    expect(calls).to.deep.equal([["pulumi", ["stack", "output", "--json", "--stack", "dev"]]]);
    expect(outputs).to.deep.equal({ archiveArn: "arn:a" });
  });

  it("explains a missing Pulumi CLI and a failing one", async () => {
    const enoent = Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });
    const missing = await stackOutputs("dev", () => Promise.reject(enoent)).catch((e: Error) => e.message);
    expect(missing).to.match(/Pulumi CLI \(pulumi\) is not on PATH/);
    const failing = await stackOutputs("nope", () => Promise.reject(Object.assign(new Error("exit 255"), { stderr: "error: no stack named 'nope' found\n" }))).catch((e: Error) => e.message);
    expect(failing).to.equal("pulumi stack output --stack nope failed: error: no stack named 'nope' found");
  });
});

describe("replay CLI: progress and polling", () => {
  const from = new Date("2026-01-01T00:00:00Z");
  const to = new Date("2026-01-01T01:40:00Z");

  it("draws the state, a bar over from..to at the last replayed time, and the time spent", () => {
    expect(renderProgress({ State: "RUNNING", EventLastReplayedTime: new Date("2026-01-01T00:25:00Z") }, from, to, 2500, 20)).to.equal(
      "RUNNING    [#####---------------]  25%  last replayed 2026-01-01T00:25:00.000Z  2.5s",
    );
    expect(renderProgress({ State: "STARTING" }, from, to, 0, 10)).to.equal("STARTING   [----------]   0%  last replayed nothing yet  0.0s");
    expect(renderProgress({ State: "COMPLETED", EventLastReplayedTime: new Date("2026-01-01T00:50:00Z") }, from, to, 61_000, 10)).to.match(/^COMPLETED {2}\[#{10}\] 100%.* 61s$/);
    expect(renderProgress({ State: "FAILED", StateReason: "archive unreadable" }, from, to, 0, 4)).to.match(/\(archive unreadable\)$/);
  });

  const fakeClock = () => {
    let time = 0;
    const sleeps: number[] = [];
    return { sleeps, now: () => new Date(time), sleep: async (ms: number) => void (sleeps.push(ms), (time += ms)) };
  };

  it("polls DescribeReplay every interval until the replay ends, reporting each state", async () => {
    const states = ["STARTING", "RUNNING", "RUNNING", "COMPLETED"];
    const clock = fakeClock();
    const seen: string[] = [];
    const final = await pollReplay({ describe: async () => ({ State: states.shift() }), sleep: clock.sleep, intervalMs: 1000, onStatus: (s) => seen.push(s.State!) });
    expect(seen).to.deep.equal(["STARTING", "RUNNING", "RUNNING", "COMPLETED"]);
    expect(clock.sleeps).to.deep.equal([1000, 1000, 1000]);
    expect(final).to.deep.include({ State: "COMPLETED", cancelRequested: false });
  });

  it("stops polling at FAILED and at CANCELLED too", async () => {
    for (const end of ["FAILED", "CANCELLED"]) {
      const states = ["RUNNING", end, "RUNNING"];
      const final = await pollReplay({ describe: async () => ({ State: states.shift() }), sleep: fakeClock().sleep, intervalMs: 1, onStatus: () => {} });
      expect(final.State).to.equal(end);
    }
  });

  it("on cancel, asks for CancelReplay once and polls on until the replay is CANCELLED", async () => {
    const interrupt = new AbortController();
    const states = ["RUNNING", "RUNNING", "CANCELLING", "CANCELLING", "CANCELLED"];
    let requests = 0;
    const final = await pollReplay({
      describe: async () => {
        if (states.length === 4) interrupt.abort();
        return { State: states.shift() };
      },
      sleep: fakeClock().sleep,
      intervalMs: 1,
      onStatus: () => {},
      cancel: { signal: interrupt.signal, request: async () => void requests++ },
    });
    expect(requests).to.equal(1);
    expect(final).to.deep.include({ State: "CANCELLED", cancelRequested: true });
  });
});

describe("replay CLI: a whole run", () => {
  const args = { from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-01-02T00:00:00Z"), projection: "channel" as ProjectionName };

  /** A client that answers StartReplay, then DescribeReplay with the states given, and records every command. */
  function fakeClient(states: ReplayStatus[], onCancel: () => Promise<unknown> = async () => ({ State: "CANCELLING" })) {
    const sent: Array<{ command: string; input: unknown }> = [];
    const client = {
      send: async (command: { constructor: { name: string }; input: unknown }) => {
        sent.push({ command: command.constructor.name, input: command.input });
        if (command instanceof StartReplayCommand) return { ReplayArn: "arn:aws:events:us-east-1:000000000000:replay/r", State: "STARTING" };
        if (command instanceof DescribeReplayCommand) return states.length > 1 ? states.shift() : states[0];
        if (command instanceof CancelReplayCommand) return onCancel();
        throw new Error(`unexpected ${command.constructor.name}`);
      },
    } as unknown as Pick<EventBridgeClient, "send">;
    return { client, sent };
  }

  const options = (client: Pick<EventBridgeClient, "send">, extra: Partial<RunReplayOptions> = {}) => {
    const said: string[] = [];
    const lines: string[] = [];
    let time = 0;
    const run: RunReplayOptions = {
      client,
      target: localReplayTarget(),
      args,
      name: "r",
      now: () => new Date(time),
      sleep: async (ms) => void (time += ms),
      intervalMs: 500,
      progress: (line) => lines.push(line),
      say: (line) => said.push(line),
      ...extra,
    };
    return { run, said, lines };
  };

  it("starts the replay from the archive into the projection's replay rule and exits 0 once COMPLETED", async () => {
    const { client, sent } = fakeClient([{ State: "RUNNING" }, { State: "COMPLETED" }]);
    const { run, said, lines } = options(client);
    expect(await runReplay(run)).to.equal(0);
    expect(sent[0]).to.deep.equal({
      command: "StartReplayCommand",
      input: {
        ReplayName: "r",
        Description: "npm run replay: channel, 2026-01-01T00:00:00.000Z to 2026-01-02T00:00:00.000Z",
        EventSourceArn: archiveArn,
        EventStartTime: args.from,
        EventEndTime: args.to,
        Destination: { Arn: busArn, FilterArns: [replayRuleArn("channel")] },
      },
    });
    expect(sent.slice(1).map((s) => s.command)).to.deep.equal(["DescribeReplayCommand", "DescribeReplayCommand"]);
    expect(lines.map((l) => l.split(" ")[0])).to.deep.equal(["RUNNING", "COMPLETED"]);
    expect(said.at(-1)).to.equal("Replay r COMPLETED.");
  });

  it("exits 1 when the replay FAILED, saying why", async () => {
    const { client } = fakeClient([{ State: "RUNNING" }, { State: "FAILED", StateReason: "archive unreadable" }]);
    const { run, said } = options(client);
    expect(await runReplay(run)).to.equal(1);
    expect(said.at(-1)).to.equal("Replay r FAILED: archive unreadable.");
  });

  it("exits 1 when someone else cancelled the replay", async () => {
    const { client } = fakeClient([{ State: "CANCELLED" }]);
    expect(await runReplay(options(client).run)).to.equal(1);
  });

  it("on Ctrl-C, cancels the replay, waits for CANCELLED, and exits 130", async () => {
    const interrupt = new AbortController();
    const { client, sent } = fakeClient([{ State: "RUNNING" }, { State: "CANCELLING" }, { State: "CANCELLED" }]);
    const { run } = options(client, { signal: interrupt.signal, sleep: async () => interrupt.abort() });
    expect(await runReplay(run)).to.equal(130);
    expect(sent.filter((s) => s.command === "CancelReplayCommand")).to.deep.equal([{ command: "CancelReplayCommand", input: { ReplayName: "r" } }]);
  });

  it("on Ctrl-C just as the replay completes, reports COMPLETED (CancelReplay's IllegalStatusException is fine)", async () => {
    const interrupt = new AbortController();
    const illegal = Object.assign(new Error("Replay r is COMPLETED and cannot be cancelled."), { name: "IllegalStatusException" });
    const { client } = fakeClient([{ State: "RUNNING" }, { State: "COMPLETED" }], () => Promise.reject(illegal));
    const { run } = options(client, { signal: interrupt.signal, sleep: async () => interrupt.abort() });
    expect(await runReplay(run)).to.equal(0);
  });

  it("names replays as EventBridge allows, one per run", () => {
    const name = replayName("channel", new Date("2026-01-02T03:04:05.678Z"), () => 0.5);
    expect(name).to.equal("replay-channel-20260102T030405Z-i000");
    expect(name).to.match(/^[.\-_A-Za-z0-9]{1,64}$/);
    expect(replayName(undefined, now)).to.match(/^replay-all-20260601T120000Z-[0-9a-z]{4}$/);
  });
});

describe("replay CLI: finding the local sandbox", function () {
  this.timeout(60_000);
  let dataDir: string;
  beforeEach(async () => (dataDir = await tempDataDir()));
  afterEach(async () => removeDir(dataDir));

  const stubSandbox = () => {
    let stopped = 0;
    const sandbox = { urls: { eventbridge: "http://127.0.0.1:1" }, bus: { idle: async () => {}, deadLetters: () => ({}) }, stop: async () => void stopped++ } as unknown as Sandbox;
    return { sandbox, stopped: () => stopped };
  };

  it("uses the sandbox named in <dataDir>/endpoints.json while its pid is alive", async () => {
    await writeFile(path.join(dataDir, "endpoints.json"), JSON.stringify({ pid: process.pid, web: "http://127.0.0.1:3000", eventbridge: "http://127.0.0.1:4010", dynamodb: "x", s3: "x", cognito: "x" }));
    const local = await localEventBridge(dataDir, () => expect.fail("must not start a sandbox"));
    expect(local.endpoint).to.equal("http://127.0.0.1:4010");
    expect(local.where).to.contain(`pid ${process.pid}`);
  });

  it("starts a sandbox in-process on the same data when endpoints.json is absent, or its pid is dead, and stops it when finished", async () => {
    for (const file of [undefined, { pid: 2 ** 22 + 12345, web: "w", eventbridge: "http://127.0.0.1:4010", dynamodb: "x", s3: "x", cognito: "x" }]) {
      if (file) await writeFile(path.join(dataDir, "endpoints.json"), JSON.stringify(file));
      const stub = stubSandbox();
      const given: SandboxOptions[] = [];
      const local = await localEventBridge(dataDir, async (o) => (given.push(o), stub.sandbox));
      expect(given[0]).to.deep.include({ dataDir, port: 0, cognitoPort: 0 });
      expect(local.endpoint).to.equal("http://127.0.0.1:1");
      await local.finish();
      expect(stub.stopped()).to.equal(1);
    }
  });

  it("runs a replay through the sandbox it started, to completion (exit 0), and a FAILED one to exit 1", async () => {
    const event = (id: string, time: string) => ({ version: "0", id, "detail-type": "message_sent", source: eventSource, account: "000000000000", time, region: "us-east-1", resources: [], detail: { type: "message_sent" } });
    await mkdir(path.join(dataDir, "archive"), { recursive: true });
    const archiveFile = path.join(dataDir, "archive", "chat-bus.jsonl");
    await writeFile(archiveFile, ["e1", "e2"].map((id, i) => JSON.stringify({ archivedAt: "2026-01-01T00:00:00Z", event: event(id, `2026-01-01T00:00:0${i}Z`) }) + "\n").join(""));
    const delivered: Array<{ projection: ProjectionName; event: ProjectionEvent }> = [];
    const start = (o: SandboxOptions) => startSandbox({ ...o, handlers: { projection: (projection) => async (e) => void delivered.push({ projection, event: e }) } });

    const local = await localEventBridge(dataDir, start);
    const client = clientOf(local.endpoint);
    try {
      const quiet = { progress: () => {}, say: () => {}, intervalMs: 20, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => new Date() };
      const args = { from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-01-02T00:00:00Z"), projection: "channel" as const };
      const run = { client, target: localReplayTarget(), args, ...quiet };
      expect(await runReplay({ ...run, name: "cli-ok" })).to.equal(0);
      expect(delivered.map((d) => [d.projection, d.event.id, (d.event as { "replay-name"?: string })["replay-name"]])).to.deep.equal([
        ["channel", "e1", "cli-ok"],
        ["channel", "e2", "cli-ok"],
      ]);
      await writeFile(archiveFile, "not json\n", { flag: "a" });
      expect(await runReplay({ ...run, name: "cli-failed" })).to.equal(1);
    } finally {
      client.destroy();
      await local.finish();
    }
  });
});
