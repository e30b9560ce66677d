/**
 * What a replay delivers, and to whom, in the whole sandbox with fake projection handlers:
 * replayed events carry replay-name and are otherwise the archived envelope; they reach
 * the replay rules FilterArns names (all of them without FilterArns) and never a live
 * rule; only the time window is replayed, in archive order, through retries and dead
 * letters, and nothing is archived twice.
 */
import { appendFile } from "node:fs/promises";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { expect } from "chai";
import { projectionNames, projectionsFor, type ProjectionName } from "../../functions/domain/routes";
import type { DeadLetter, Sandbox } from "../../infra/local";
import type { ProjectionEvent } from "../../infra/local/handlers";
import { JsonLinesFile } from "../../infra/local/jsonLines";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { clientOf, liveRuleArn, putAt, replayRuleArn, startInput, startReplay, uniqueName, waitForReplay } from "./support";

describe("replay: what reaches the projections", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let client: EventBridgeClient;
  let delivered: Array<{ projection: ProjectionName; event: ProjectionEvent }>;
  let target: (projection: ProjectionName, event: ProjectionEvent) => Promise<void>;

  before(async () => {
    sandbox = await startTestSandbox({
      handlers: {
        projection: (projection) => async (event) => {
          delivered.push({ projection, event });
          await target(projection, event);
        },
      },
    });
    client = clientOf(sandbox.urls.eventbridge);
  });
  beforeEach(() => {
    delivered = [];
    target = async () => {};
  });
  after(async () => {
    client?.destroy();
    await disposeTestSandbox(sandbox);
  });

  /** Archives message_sent events at these times; their live deliveries are over and forgotten when it resolves. */
  const archived = async (times: string[], type: "message_sent" | "user_registered" = "message_sent") => {
    const ids = await putAt(client, type, times);
    await sandbox.bus.idle();
    delivered = [];
    return ids;
  };
  const replay = async (from: string, to: string, filter?: string[]) => {
    const name = uniqueName("replay");
    await startReplay(client, startInput(name, from, to, filter));
    const done = await waitForReplay(client, name);
    await sandbox.bus.idle();
    return { name, done };
  };
  const archive = () => new JsonLinesFile(sandbox.bus.archiveFile).read<{ event: ProjectionEvent }>();

  it("hands the target the archived envelope with replay-name added: same id, time, detail", async () => {
    const [id] = await archived(["2032-01-01T00:00:01Z"]);
    const original = (await archive()).find((r) => r.event.id === id)!.event;
    const { name } = await replay("2032-01-01T00:00:00Z", "2032-01-02T00:00:00Z", [replayRuleArn("channel")]);
    expect(delivered).to.have.length(1);
    expect(delivered[0]!.event).to.deep.equal({ ...original, "replay-name": name });
  });

  it("reaches only the projection whose replay rule FilterArns names, once per event", async () => {
    await archived(["2032-02-01T00:00:01Z", "2032-02-01T00:00:02Z"]);
    for (const projection of projectionsFor("message_sent")) {
      delivered = [];
      await replay("2032-02-01T00:00:00Z", "2032-02-02T00:00:00Z", [replayRuleArn(projection)]);
      expect(delivered.map((d) => d.projection), projection).to.deep.equal([projection, projection]);
    }
  });

  it("reaches the projections of two replay rules when FilterArns names both", async () => {
    await archived(["2032-03-01T00:00:01Z"]);
    await replay("2032-03-01T00:00:00Z", "2032-03-02T00:00:00Z", [replayRuleArn("channel"), replayRuleArn("mentions")]);
    expect(delivered.map((d) => d.projection).sort()).to.deep.equal(["channel", "mentions"]);
  });

  it("without FilterArns, reaches every projection whose routes match, through its replay rule alone", async () => {
    await archived(["2032-04-01T00:00:01Z"]);
    await replay("2032-04-01T00:00:00Z", "2032-04-02T00:00:00Z");
    expect(delivered.map((d) => d.projection).sort()).to.deep.equal([...projectionsFor("message_sent")].sort());
  });

  it("never reaches a live rule: FilterArns naming the live rules delivers nothing", async () => {
    await archived(["2032-05-01T00:00:01Z"]);
    const { done } = await replay("2032-05-01T00:00:00Z", "2032-05-02T00:00:00Z", projectionNames.map(liveRuleArn));
    expect(done.State).to.equal("COMPLETED");
    expect(delivered).to.deep.equal([]);
  });

  it("live events keep going to the live rules only, while a replay of the same projection runs", async () => {
    await archived(["2032-06-01T00:00:01Z"], "user_registered");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    target = (_, event) => ("replay-name" in event ? held : Promise.resolve());
    const name = uniqueName("alongside");
    await startReplay(client, startInput(name, "2032-06-01T00:00:00Z", "2032-06-02T00:00:00Z", [replayRuleArn("user")]));
    while (delivered.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await putAt(client, "user_registered", ["2032-06-03T00:00:00Z"]); // outside the replay's window
    while (delivered.filter((d) => d.projection === "user").length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    await waitForReplay(client, name);
    await sandbox.bus.idle();
    const toUser = delivered.filter((d) => d.projection === "user").map((d) => [d.event.time, (d.event as { "replay-name"?: string })["replay-name"]]);
    expect(toUser).to.deep.equal([
      ["2032-06-01T00:00:01Z", name],
      ["2032-06-03T00:00:00Z", undefined],
    ]);
  });

  it("replays only the events whose time is in [EventStartTime, EventEndTime)", async () => {
    const times = ["2032-07-01T00:00:00Z", "2032-07-01T00:00:09Z", "2032-07-01T00:00:10Z", "2032-07-01T00:00:11Z"];
    const ids = await archived(times);
    await replay("2032-07-01T00:00:00Z", "2032-07-01T00:00:10Z", [replayRuleArn("channel")]);
    expect(delivered.map((d) => d.event.id)).to.deep.equal(ids.slice(0, 2));
  });

  it("replays in archive order, not in time order", async () => {
    const ids = await archived(["2032-08-01T00:00:03Z", "2032-08-01T00:00:01Z", "2032-08-01T00:00:02Z"]);
    await replay("2032-08-01T00:00:00Z", "2032-08-02T00:00:00Z", [replayRuleArn("channel")]);
    expect(delivered.map((d) => d.event.id)).to.deep.equal(ids);
  });

  it("does not archive replayed events again, nor count them as received", async () => {
    await archived(["2032-09-01T00:00:01Z", "2032-09-01T00:00:02Z"]);
    const [lines, received] = [(await archive()).length, sandbox.bus.stats().received];
    await replay("2032-09-01T00:00:00Z", "2032-09-02T00:00:00Z");
    expect(delivered.length).to.be.greaterThan(0);
    expect((await archive()).length).to.equal(lines);
    expect(sandbox.bus.stats().received).to.equal(received);
  });

  it("retries a failing replay delivery, as it does live ones", async () => {
    await archived(["2032-10-01T00:00:01Z"]);
    let failuresLeft = 2;
    target = async () => {
      if (failuresLeft-- > 0) throw new Error("flaky");
    };
    const { done } = await replay("2032-10-01T00:00:00Z", "2032-10-02T00:00:00Z", [replayRuleArn("channel")]);
    expect(done.State).to.equal("COMPLETED");
    expect(delivered).to.have.length(3);
    expect(sandbox.bus.deadLetters().channel ?? 0).to.equal(0);
  });

  it("dead-letters a replay delivery that fails every attempt, under the replay rule, and still completes", async () => {
    await archived(["2032-11-01T00:00:01Z"], "user_registered");
    target = async () => {
      throw new Error("projection broken");
    };
    const { name, done } = await replay("2032-11-01T00:00:00Z", "2032-11-02T00:00:00Z", [replayRuleArn("user")]);
    expect(done.State).to.equal("COMPLETED");
    const letters = await new JsonLinesFile(sandbox.bus.deadLetterFile("user")).read<DeadLetter>();
    const mine = letters.filter((l) => l.event["replay-name"] === name);
    expect(mine).to.have.length(1);
    expect(mine[0]).to.include({ rule: "chat-bus-user-replay", projection: "user", attempts: 3 });
  });

  it("fails (FAILED, with the reason) when the archive cannot be read", async () => {
    await appendFile(sandbox.bus.archiveFile, "{ not json\n");
    const { done } = await replay("2032-12-01T00:00:00Z", "2032-12-02T00:00:00Z");
    expect(done.State).to.equal("FAILED");
    expect(done.StateReason).to.match(/JSON/);
    expect(done.ReplayEndTime).to.be.instanceOf(Date);
  });
});
