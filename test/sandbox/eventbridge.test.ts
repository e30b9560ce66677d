import { randomUUID } from "node:crypto";
import path from "node:path";
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import { expect } from "chai";
import { eventSource, projectionNames, projectionsFor, routes, type ProjectionName } from "../../functions/domain/routes";
import type { EventType } from "../../functions/domain/events";
import { projectionRules } from "../../infra/local/busRules";
import { resources } from "../../infra/local/context";
import { sandboxCredentials } from "../../infra/local/env";
import type { ArchiveRecord, DeadLetter } from "../../infra/local/eventBus";
import * as eventbridge from "../../infra/local/eventbridge";
import type { ProjectionEvent } from "../../infra/local/handlers";
import { JsonLinesFile } from "../../infra/local/jsonLines";
import { removeDir, tempDataDir, testContext } from "../support/sandboxContext";

type Target = (projection: ProjectionName, event: ProjectionEvent) => Promise<void>;

describe("sandbox EventBridge stand-in", () => {
  let dataDir: string;
  let service: eventbridge.EventBridgeService;
  let client: EventBridgeClient;
  let delivered: Array<{ projection: ProjectionName; event: ProjectionEvent }>;
  let target: Target;

  before(async () => {
    dataDir = await tempDataDir();
    const ctx = testContext(dataDir, {
      projection: (projection) => async (event) => {
        delivered.push({ projection, event });
        // user_registered reaches several projections; the tests below watch the user one.
        if (projection === "user") await target(projection, event);
      },
    });
    service = await eventbridge.start(ctx, { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } });
    client = new EventBridgeClient({ endpoint: service.url, region: resources.region, credentials: sandboxCredentials });
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

  const chatEntry = (type: EventType, detail: object = {}): PutEventsRequestEntry => ({
    EventBusName: resources.eventBus,
    Source: eventSource,
    DetailType: type,
    Detail: JSON.stringify({ type, eventId: randomUUID(), ...detail }),
  });
  const toUser = () => delivered.filter((d) => d.projection === "user");
  const put = (...Entries: PutEventsRequestEntry[]) => client.send(new PutEventsCommand({ Entries }));

  it("delivers an event only to the projections whose routes include its detail-type", async () => {
    for (const type of ["message_sent", "user_registered", "channel_created"] as const) {
      delivered = [];
      await put(chatEntry(type));
      await service.bus.idle();
      expect(delivered.map((d) => d.projection).sort(), type).to.deep.equal([...projectionsFor(type)].sort());
    }
  });

  it("matches the rules' source: another source reaches no projection", async () => {
    const result = await put({ ...chatEntry("message_sent"), Source: "someone.else" });
    await service.bus.idle();
    expect(result.FailedEntryCount).to.equal(0);
    expect(delivered).to.deep.equal([]);
  });

  it("hands the target the EventBridge envelope with the parsed detail", async () => {
    const time = new Date("2030-01-02T03:04:05.678Z");
    const detail = { type: "user_registered", eventId: "e-1", userId: "u-1", name: "Ada" };
    const result = await put({ ...chatEntry("user_registered"), Detail: JSON.stringify(detail), Time: time });
    await service.bus.idle();
    expect(toUser()).to.have.length(1);
    expect(toUser()[0]!.event).to.deep.equal({
      version: "0",
      id: result.Entries![0]!.EventId,
      "detail-type": "user_registered",
      source: eventSource,
      account: resources.account,
      time: "2030-01-02T03:04:05Z",
      region: resources.region,
      resources: [],
      detail,
    });
  });

  it("runs deliveries concurrently: two slow ones overlap", async () => {
    let running = 0;
    let most = 0;
    target = async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 150));
      running--;
    };
    await put(chatEntry("user_registered"));
    await put(chatEntry("user_registered"));
    await service.bus.idle();
    expect(toUser()).to.have.length(2);
    expect(most).to.equal(2);
  });

  it("answers PutEvents before the deliveries finish", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    target = () => gate;
    await put(chatEntry("user_registered"));
    expect(toUser()).to.have.length(1);
    release();
    await service.bus.idle();
  });

  it("retries a failing delivery and stops retrying once it succeeds", async () => {
    let failuresLeft = 2;
    target = async () => {
      if (failuresLeft-- > 0) throw new Error("flaky");
    };
    const before = service.bus.stats();
    await put(chatEntry("user_registered"));
    await service.bus.idle();
    expect(toUser()).to.have.length(3);
    expect(service.bus.stats().deadLettered).to.equal(before.deadLettered);
    expect(service.bus.stats().failures - before.failures).to.equal(2);
  });

  it("dead-letters a delivery that fails every attempt into <dataDir>/dlq/<projection>.jsonl", async () => {
    target = async () => {
      throw new Error("projection broken");
    };
    const result = await put(chatEntry("user_registered"));
    await service.bus.idle();
    expect(toUser()).to.have.length(3);
    expect(service.bus.deadLetters().user).to.equal(1);
    const letters = await new JsonLinesFile(path.join(dataDir, "dlq", "user.jsonl")).read<DeadLetter>();
    expect(letters).to.have.length(1);
    expect(letters[0]).to.include({ rule: `${resources.eventBus}-user`, projection: "user", attempts: 3 });
    expect(letters[0]!.error).to.contain("projection broken");
    expect(letters[0]!.event.id).to.equal(result.Entries![0]!.EventId);
  });

  it("archives every accepted event as one JSON line in <dataDir>/archive/chat-bus.jsonl", async () => {
    const result = await put(chatEntry("channel_created", { name: "general" }));
    await service.bus.idle();
    const records = await new JsonLinesFile(path.join(dataDir, "archive", `${resources.eventBus}.jsonl`)).read<ArchiveRecord>();
    const record = records.find((r) => r.event.id === result.Entries![0]!.EventId);
    expect(record).to.not.equal(undefined);
    expect(Date.parse(record!.archivedAt)).to.be.closeTo(Date.now(), 5000);
    expect(record!.event).to.deep.equal(delivered[0]!.event);
  });

  it("fails only the invalid entries, each with an ErrorCode in its place", async () => {
    const result = await put(
      chatEntry("user_registered"),
      { ...chatEntry("user_registered"), Detail: "not json" },
      { ...chatEntry("user_registered"), Source: undefined },
      { ...chatEntry("user_registered"), EventBusName: "no-such-bus" },
    );
    await service.bus.idle();
    expect(result.FailedEntryCount).to.equal(3);
    expect(result.Entries![0]!.EventId).to.be.a("string");
    expect(result.Entries!.slice(1).map((e) => e.ErrorCode)).to.deep.equal(["MalformedDetail", "InvalidArgument", "InvalidArgument"]);
    expect(result.Entries!.slice(1).every((e) => e.EventId === undefined && e.ErrorMessage)).to.equal(true);
    expect(toUser()).to.have.length(1);
  });

  it("refuses a request of more than 10 entries whole, with a ValidationException", async () => {
    const error = await put(...Array.from({ length: 11 }, () => chatEntry("user_registered"))).catch((e: unknown) => e);
    expect((error as Error).name).to.equal("ValidationException");
    expect(delivered).to.deep.equal([]);
  });

  it("counts entries received and deliveries made", async () => {
    const before = service.bus.stats();
    await put(chatEntry("message_sent"), chatEntry("user_registered"));
    await service.bus.idle();
    const after = service.bus.stats();
    expect(after.received - before.received).to.equal(2);
    expect(after.deliveries - before.deliveries).to.equal(projectionsFor("message_sent").length + projectionsFor("user_registered").length);
  });

  it("has a live and a replay rule per projection, matching the store's source and that projection's routes", () => {
    const rule = (projection: ProjectionName, name: string, replayed: boolean) => ({
      name,
      arn: `arn:aws:events:${resources.region}:${resources.account}:rule/${resources.eventBus}/${name}`,
      projection,
      pattern: { source: [eventSource], "detail-type": routes[projection], "replay-name": [{ exists: replayed }] },
    });
    expect(projectionRules(resources.eventBus)).to.deep.equal(
      projectionNames.flatMap((projection) => [
        rule(projection, `${resources.eventBus}-${projection}`, false),
        rule(projection, `${resources.eventBus}-${projection}-replay`, true),
      ]),
    );
  });
});
