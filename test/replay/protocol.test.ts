/**
 * The replay operations of the EventBridge stand-in over the AWS protocol, driven by the
 * real @aws-sdk/client-eventbridge: shapes, state changes, listing, cancelling, errors.
 */
import { CancelReplayCommand, DescribeReplayCommand, type EventBridgeClient, ListReplaysCommand } from "@aws-sdk/client-eventbridge";
import { expect } from "chai";
import type { ProjectionName } from "../../functions/domain/routes";
import * as eventbridge from "../../infra/local/eventbridge";
import type { ProjectionEvent } from "../../infra/local/handlers";
import { maxActiveReplays } from "../../infra/local/replays";
import { removeDir, tempDataDir, testContext } from "../support/sandboxContext";
import { archiveArn, busArn, clientOf, eventually, gate, putAt, replayRuleArn, startInput, startReplay, uniqueName, waitForReplay } from "./support";

describe("replay: the stand-in's StartReplay, DescribeReplay, ListReplays, CancelReplay", () => {
  let dataDir: string;
  let service: eventbridge.EventBridgeService;
  let client: EventBridgeClient;
  let delivered: Array<{ projection: ProjectionName; event: ProjectionEvent }>;
  let target: (event: ProjectionEvent) => Promise<void>;

  before(async () => {
    dataDir = await tempDataDir();
    const ctx = testContext(dataDir, {
      projection: (projection) => async (event) => {
        delivered.push({ projection, event });
        await target(event);
      },
    });
    service = await eventbridge.start(ctx, { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    client = clientOf(service.url);
  });
  beforeEach(() => {
    delivered = [];
    target = async () => {};
  });
  after(async () => {
    client.destroy();
    await service.stop();
    await removeDir(dataDir);
  });

  /** Archives events at these times; their live deliveries are over and forgotten when it resolves. */
  const archived = async (...times: string[]) => {
    await putAt(client, "user_registered", times);
    await service.bus.idle();
    delivered = [];
  };
  const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail("expected an error"), (error: Error) => error);

  it("StartReplay answers the replay's ARN, STARTING and when it started", async () => {
    const name = uniqueName("shape");
    const before = Date.now();
    const started = await startReplay(client, startInput(name, "2031-01-01T00:00:00Z", "2031-01-02T00:00:00Z"));
    expect(started.ReplayArn).to.equal(`arn:aws:events:us-east-1:000000000000:replay/${name}`);
    expect(started.State).to.equal("STARTING");
    expect(started.ReplayStartTime!.getTime()).to.be.within(before - 1000, Date.now() + 1000);
    await waitForReplay(client, name);
  });

  it("DescribeReplay gives every field of the replay, dates typed as Dates", async () => {
    await archived("2031-02-01T00:00:01Z", "2031-02-01T00:00:02Z");
    const name = uniqueName("describe");
    const input = { ...startInput(name, "2031-02-01T00:00:00Z", "2031-02-02T00:00:00Z", [replayRuleArn("user")]), Description: "user, February" };
    await startReplay(client, input);
    await waitForReplay(client, name);
    const { $metadata, ...replay } = await client.send(new DescribeReplayCommand({ ReplayName: name }));
    expect($metadata.httpStatusCode).to.equal(200);
    expect(replay).to.deep.include({
      ReplayName: name,
      ReplayArn: `arn:aws:events:us-east-1:000000000000:replay/${name}`,
      Description: "user, February",
      State: "COMPLETED",
      EventSourceArn: archiveArn,
      Destination: { Arn: busArn, FilterArns: [replayRuleArn("user")] },
      EventStartTime: new Date("2031-02-01T00:00:00Z"),
      EventEndTime: new Date("2031-02-02T00:00:00Z"),
      EventLastReplayedTime: new Date("2031-02-01T00:00:02Z"),
    });
    expect(replay.StateReason).to.equal(undefined);
    expect(replay.ReplayEndTime!.getTime()).to.be.at.least(replay.ReplayStartTime!.getTime());
  });

  it("goes STARTING → RUNNING → COMPLETED, its EventLastReplayedTime advancing event by event", async () => {
    await archived("2031-03-01T00:00:01Z", "2031-03-01T00:00:02Z", "2031-03-01T00:00:03Z");
    const gates = [gate(), gate(), gate()];
    let n = 0;
    target = () => gates[n++]!.opened;
    const name = uniqueName("states");
    expect((await startReplay(client, startInput(name, "2031-03-01T00:00:00Z", "2031-03-02T00:00:00Z", [replayRuleArn("user")]))).State).to.equal("STARTING");
    const describe = () => client.send(new DescribeReplayCommand({ ReplayName: name }));
    await eventually(() => n === 1);
    const first = await describe();
    expect(first.State).to.equal("RUNNING");
    expect(first.EventLastReplayedTime).to.equal(undefined);
    gates[0]!.open();
    await eventually(() => n === 2);
    expect(await describe()).to.deep.include({ State: "RUNNING", EventLastReplayedTime: new Date("2031-03-01T00:00:01Z") });
    gates[1]!.open();
    await eventually(() => n === 3);
    expect((await describe()).EventLastReplayedTime).to.deep.equal(new Date("2031-03-01T00:00:02Z"));
    gates[2]!.open();
    const done = await waitForReplay(client, name);
    expect(done).to.deep.include({ State: "COMPLETED", EventLastReplayedTime: new Date("2031-03-01T00:00:03Z") });
  });

  it("CancelReplay stops a running replay: CANCELLING, then CANCELLED, and no further event is sent", async () => {
    await archived("2031-04-01T00:00:01Z", "2031-04-01T00:00:02Z", "2031-04-01T00:00:03Z");
    const held = gate();
    target = () => held.opened;
    const name = uniqueName("cancel");
    await startReplay(client, startInput(name, "2031-04-01T00:00:00Z", "2031-04-02T00:00:00Z", [replayRuleArn("user")]));
    await eventually(() => delivered.length === 1);
    const cancelled = await client.send(new CancelReplayCommand({ ReplayName: name }));
    expect(cancelled).to.deep.include({ ReplayArn: `arn:aws:events:us-east-1:000000000000:replay/${name}`, State: "CANCELLING" });
    expect((await client.send(new DescribeReplayCommand({ ReplayName: name }))).State).to.equal("CANCELLING");
    held.open();
    expect((await waitForReplay(client, name)).State).to.equal("CANCELLED");
    expect(delivered).to.have.length(1);
  });

  it("CancelReplay of a replay that has ended is an IllegalStatusException", async () => {
    const name = uniqueName("ended");
    await startReplay(client, startInput(name, "2031-05-01T00:00:00Z", "2031-05-02T00:00:00Z"));
    await waitForReplay(client, name);
    const error = await failure(client.send(new CancelReplayCommand({ ReplayName: name })));
    expect(error.name).to.equal("IllegalStatusException");
  });

  it("ListReplays filters by name prefix, state and archive, and pages with NextToken", async () => {
    const prefix = uniqueName("list");
    for (const n of [1, 2, 3]) {
      await startReplay(client, startInput(`${prefix}-${n}`, "2031-06-01T00:00:00Z", "2031-06-02T00:00:00Z"));
      await waitForReplay(client, `${prefix}-${n}`);
    }
    const all = await client.send(new ListReplaysCommand({ NamePrefix: prefix }));
    expect(all.Replays!.map((r) => r.ReplayName)).to.deep.equal([`${prefix}-1`, `${prefix}-2`, `${prefix}-3`]);
    expect(all.NextToken).to.equal(undefined);
    expect(all.Replays![0]).to.have.keys("ReplayName", "EventSourceArn", "State", "EventStartTime", "EventEndTime", "ReplayStartTime", "ReplayEndTime");
    expect(all.Replays![0]).to.deep.include({ EventSourceArn: archiveArn, State: "COMPLETED", EventStartTime: new Date("2031-06-01T00:00:00Z") });

    const first = await client.send(new ListReplaysCommand({ NamePrefix: prefix, Limit: 2 }));
    expect(first.Replays!.map((r) => r.ReplayName)).to.deep.equal([`${prefix}-1`, `${prefix}-2`]);
    const second = await client.send(new ListReplaysCommand({ NamePrefix: prefix, Limit: 2, NextToken: first.NextToken }));
    expect(second.Replays!.map((r) => r.ReplayName)).to.deep.equal([`${prefix}-3`]);
    expect(second.NextToken).to.equal(undefined);

    expect((await client.send(new ListReplaysCommand({ NamePrefix: prefix, State: "RUNNING" }))).Replays).to.deep.equal([]);
    expect((await client.send(new ListReplaysCommand({ NamePrefix: prefix, EventSourceArn: `${archiveArn}-other` }))).Replays).to.deep.equal([]);
    expect((await client.send(new ListReplaysCommand({ NamePrefix: prefix, EventSourceArn: archiveArn }))).Replays).to.have.length(3);
  });

  it(`runs at most ${maxActiveReplays} replays at a time (LimitExceededException)`, async () => {
    await archived("2031-07-01T00:00:01Z");
    const held = gate();
    target = () => held.opened;
    const names = Array.from({ length: maxActiveReplays }, () => uniqueName("limit"));
    for (const name of names) await startReplay(client, startInput(name, "2031-07-01T00:00:00Z", "2031-07-02T00:00:00Z", [replayRuleArn("user")]));
    const error = await failure(startReplay(client, startInput(uniqueName("limit"), "2031-07-01T00:00:00Z", "2031-07-02T00:00:00Z")));
    expect(error.name).to.equal("LimitExceededException");
    held.open();
    for (const name of names) expect((await waitForReplay(client, name)).State).to.equal("COMPLETED");
  });

  describe("errors, as EventBridge answers them", () => {
    const window = ["2031-08-01T00:00:00Z", "2031-08-02T00:00:00Z"] as const;
    const cases: Array<[string, string, () => Promise<unknown>]> = [
      ["a second replay of the same name", "ResourceAlreadyExistsException", async () => {
        const name = uniqueName("twice");
        await startReplay(client, startInput(name, ...window));
        await waitForReplay(client, name);
        return startReplay(client, startInput(name, ...window));
      }],
      ["DescribeReplay of an unknown replay", "ResourceNotFoundException", () => client.send(new DescribeReplayCommand({ ReplayName: "no-such-replay" }))],
      ["CancelReplay of an unknown replay", "ResourceNotFoundException", () => client.send(new CancelReplayCommand({ ReplayName: "no-such-replay" }))],
      ["an end time before the start time", "ValidationException", () => startReplay(client, startInput(uniqueName("range"), window[1], window[0]))],
      ["an end time equal to the start time", "ValidationException", () => startReplay(client, startInput(uniqueName("range"), window[0], window[0]))],
      ["an unknown archive", "ValidationException", () => startReplay(client, { ...startInput(uniqueName("archive"), ...window), EventSourceArn: `${archiveArn}-gone` })],
      ["a destination other than the archive's bus", "ValidationException", () =>
        startReplay(client, { ...startInput(uniqueName("bus"), ...window), Destination: { Arn: busArn.replace("chat-bus", "default") } })],
      ["FilterArns naming no rule of the bus", "ValidationException", () =>
        startReplay(client, startInput(uniqueName("rule"), ...window, [replayRuleArn("user").replace("user", "nobody")]))],
      ["a name with a space", "ValidationException", () => startReplay(client, startInput("bad name", ...window))],
      ["a name of 65 characters", "ValidationException", () => startReplay(client, startInput("n".repeat(65), ...window))],
      ["a StartReplay without a destination", "ValidationException", () => startReplay(client, { ...startInput(uniqueName("dest"), ...window), Destination: undefined })],
      ["ListReplays with Limit 0", "ValidationException", () => client.send(new ListReplaysCommand({ Limit: 0 }))],
      ["ListReplays with a NextToken it never gave", "ValidationException", () => client.send(new ListReplaysCommand({ NextToken: "garbage" }))],
    ];
    for (const [what, type, call] of cases) {
      it(`${what}: ${type}, HTTP 400`, async () => {
        const error = (await failure(call())) as Error & { $metadata?: { httpStatusCode?: number } };
        expect(error.name).to.equal(type);
        expect(error.message).to.be.a("string").and.not.equal("");
        expect(error.$metadata?.httpStatusCode).to.equal(400);
      });
    }
  });
});

describe("replay: when the sandbox stops", () => {
  it("a replay still running ends FAILED, its waiting retry dead-lettered, and stop() waits for it", async () => {
    const dataDir = await tempDataDir();
    let replayedTries = 0;
    const ctx = testContext(dataDir, {
      projection: () => async (event) => {
        if ("replay-name" in event) replayedTries++;
        throw new Error("down");
      },
    });
    const service = await eventbridge.start(ctx, { retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    const client = clientOf(service.url);
    try {
      await putAt(client, "message_sent", ["2033-01-01T00:00:01Z", "2033-01-01T00:00:02Z"]);
      const name = uniqueName("stopped");
      await startReplay(client, startInput(name, "2033-01-01T00:00:00Z", "2033-01-02T00:00:00Z", [replayRuleArn("channel")]));
      await eventually(() => replayedTries === 1);
      await service.stop();
      const replay = service.replays.describe({ ReplayName: name });
      expect(replay.State).to.equal("FAILED");
      expect(replay.StateReason).to.match(/stopped/);
      expect(service.bus.deadLetters().channel).to.equal(3); // two live, one replayed; the second replayed event never went
    } finally {
      client.destroy();
      await removeDir(dataDir);
    }
  });
});
