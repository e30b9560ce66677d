/**
 * Each fault of the sandbox on its own (rate 1, then 0), showing the recovery path it
 * exercises: a client retry with the same Idempotency-Key, the re-publisher, the bus's
 * retries and dead letters, the projections' catch-up. infra/local/faults.ts lists them.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { expect } from "chai";
import { FaultInjector, parseFaults, type Sandbox } from "../../infra/local";
import { resources } from "../../infra/local/context";
import { sandboxCredentials } from "../../infra/local/env";
import type { DeadLetter } from "../../infra/local/eventBus";
import { type Person, post, signUp, view } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { channelMessages, streamEvents, tableClient, tableSnapshot } from "./support";

describe("fault injection: the spec", () => {
  it("parses name=rate pairs strictly", () => {
    expect(parseFaults("api=0.1, append-crash=0.1,publish=0.2,s3-put=0.1,projection=0.1,duplicate=0.2,delay=0.3")).to.deep.equal({
      api: 0.1, "append-crash": 0.1, publish: 0.2, "s3-put": 0.1, projection: 0.1, duplicate: 0.2, delay: 0.3,
    });
    expect(parseFaults("api=1,delay=0,publish=.5")).to.deep.equal({ api: 1, delay: 0, publish: 0.5 });
    const refusals: [string, RegExp][] = [
      ["", /no faults given/],
      ["api", /not name=rate/],
      ["api=", /must be a number from 0 to 1/],
      ["api=1.01", /must be a number from 0 to 1/],
      ["api=-0.1", /must be a number from 0 to 1/],
      ["api=1e-1", /must be a number from 0 to 1/],
      ["api=NaN", /must be a number from 0 to 1/],
      ["api=0.1,api=0.2", /given twice/],
      ["api=0.1,,delay=0.1", /empty item/],
      ["crash=0.1", /"crash" is not a fault; known faults: api, append-crash/],
      ["API=0.1", /not a fault/],
    ];
    for (const [spec, message] of refusals) expect(() => parseFaults(spec), spec).to.throw(message);
  });

  it("refuses bad rates given as an object too, and draws reproducibly from a seed", () => {
    expect(() => new FaultInjector({ rates: { api: 2 } })).to.throw(/from 0 to 1/);
    expect(() => new FaultInjector({ rates: { nope: 0.1 } as never })).to.throw(/not a fault/);
    const draws = (seed: number) => {
      const faults = new FaultInjector({ rates: { api: 0.5 }, seed });
      return Array.from({ length: 50 }, () => faults.roll("api"));
    };
    expect(draws(42)).to.deep.equal(draws(42));
    expect(draws(42)).to.not.deep.equal(draws(43));
    const faults = new FaultInjector({ rates: { api: 0.5 }, seed: 1 });
    const hits = Array.from({ length: 1000 }, () => faults.roll("api")).filter(Boolean).length;
    expect(faults.injected().api).to.equal(hits);
    expect(hits).to.be.within(400, 600);
  });
});

describe("fault injection through the sandbox, one fault at a time", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let api: string;
  let alice: Person;
  let channelId: string;
  const db = () => tableClient(sandbox);
  const faults = () => sandbox.faults!;
  const message = (text: string) => ({ type: "message_sent", channelId, messageId: randomUUID(), text });
  const texts = async () => (await channelMessages(api, alice.token, channelId)).messages.map((m) => m.text);
  const settle = async () => {
    await sandbox.bus.idle();
  };

  before(async () => {
    sandbox = await startTestSandbox({ faults: { rates: {}, seed: 6, maxDelayMs: 400 }, retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 } });
    api = sandbox.urls.api;
    alice = await signUp(sandbox.urls.cognito, sandbox.clientId, "Alice");
    const created = await post(api, alice.token, { type: "channel_created", name: "faults" });
    channelId = created.body.stream.replace(/^channel-/, "");
    await settle();
  });
  after(() => disposeTestSandbox(sandbox));
  afterEach(() => faults().set({ api: 0, "append-crash": 0, publish: 0, "s3-put": 0, projection: 0, duplicate: 0, delay: 0 }));

  it("api: the front door answers 503 JSON before the handler runs, so nothing is stored", async () => {
    const before = await tableSnapshot(db());
    faults().set({ api: 1 });
    const answer = await post(api, alice.token, message("never"));
    expect(answer.status).to.equal(503);
    expect(answer.headers.get("content-type")).to.match(/^application\/json/);
    expect(answer.body).to.deep.equal({ message: "Service Unavailable" });
    expect((await view(api, alice.token, "channels")).status).to.equal(503);
    expect(await tableSnapshot(db())).to.deep.equal(before);
    expect(faults().injected().api).to.equal(2);
  });

  it("append-crash: the event is stored, the invocation dies (502); the retry with the same key gets the first event and stores nothing new", async () => {
    const body = message("crashed once");
    faults().set({ "append-crash": 1 });
    const crashed = await post(api, alice.token, body, { "idempotency-key": "crash-1" });
    expect(crashed.status).to.equal(502);
    expect(crashed.body).to.deep.equal({ message: "Internal Server Error" });
    const stored = (await streamEvents(db(), `channel-${channelId}`)).filter((e) => "messageId" in e && e.messageId === body.messageId);
    expect(stored).to.have.length(1);
    expect(faults().injected()["append-crash"]).to.equal(1);
    faults().set({ "append-crash": 0 });
    const before = await tableSnapshot(db());
    const retry = await post(api, alice.token, body, { "idempotency-key": "crash-1" });
    expect(retry.status).to.equal(202);
    expect(retry.body).to.include({ eventId: stored[0]!.eventId, seq: stored[0]!.seq });
    const after = await tableSnapshot(db());
    expect([...after.keys()].filter((k) => !before.has(k))).to.deep.equal([]); // claims completed in place, no new item
    await settle();
    expect((await texts()).filter((t) => t === "crashed once")).to.have.length(1);
    expect(faults().lateRequests()).to.deep.equal([]);
  });

  it("append-crash without a retry: the table's stream sends the stored event, and the views show it once", async () => {
    faults().set({ "append-crash": 1 });
    expect((await post(api, alice.token, message("nobody retried"))).status).to.equal(502);
    faults().set({ "append-crash": 0 });
    await settle();
    expect((await texts()).filter((t) => t === "nobody retried")).to.have.length(1);
    expect(sandbox.tableStream.backlog()).to.equal(0);
  });

  // The store's messageFacts reads the message claim's result, which only the crashed
  // invocation would have written: an idempotent retry completes the idempotency claim only.
  it("append-crash then retry: the author can still edit the message", async () => {
    const body = message("edit me");
    faults().set({ "append-crash": 1 });
    expect((await post(api, alice.token, body, { "idempotency-key": "crash-edit" })).status).to.equal(502);
    faults().set({ "append-crash": 0 });
    expect((await post(api, alice.token, body, { "idempotency-key": "crash-edit" })).status).to.equal(202);
    const edit = await post(api, alice.token, { type: "message_edited", channelId, messageId: body.messageId, text: "edited" });
    expect(edit.status, JSON.stringify(edit.body)).to.equal(202);
  });

  it("publish: PutEvents fails whole (500) or for some entries (FailedEntryCount), never silently", async () => {
    faults().set({ publish: 1 });
    const client = new EventBridgeClient({ endpoint: sandbox.urls.eventbridge, region: resources.region, credentials: sandboxCredentials, maxAttempts: 1 });
    const entries = Array.from({ length: 10 }, (_, i) => ({ EventBusName: "default", Source: "test", DetailType: "probe", Detail: JSON.stringify({ i }) }));
    const seen = { whole: 0, partial: 0 };
    for (let i = 0; i < 20; i++) {
      try {
        const answer = await client.send(new PutEventsCommand({ Entries: entries }));
        expect(answer.FailedEntryCount).to.be.within(1, 10);
        const failed = answer.Entries!.filter((e) => e.ErrorCode);
        expect(failed).to.have.length(answer.FailedEntryCount!);
        for (const entry of failed) expect(entry.ErrorCode).to.equal("InternalFailure");
        seen.partial++;
      } catch (error) {
        expect((error as Error).name).to.equal("InternalException");
        expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).to.equal(500);
        seen.whole++;
      }
    }
    expect(seen.whole).to.be.above(0);
    expect(seen.partial).to.be.above(0);
    client.destroy();
  });

  it("publish: an accepted message the bus refused reaches the views once the bus takes it", async () => {
    const received = sandbox.bus.stats().received;
    faults().set({ publish: 1 });
    expect((await post(api, alice.token, message("published late"))).status).to.equal(202);
    await settle(); // the table's stream waits to retry it: the bus still refuses
    expect(sandbox.bus.stats().received).to.equal(received);
    expect(sandbox.tableStream.backlog()).to.equal(1);
    expect(await texts()).to.not.include("published late");
    faults().set({ publish: 0 });
    sandbox.tableStream.retryNow();
    await settle();
    expect(sandbox.tableStream.backlog()).to.equal(0);
    expect((await texts()).filter((t) => t === "published late")).to.have.length(1);
  });

  it("s3-put and projection: a delivery is retried, dead-lettered only after its last attempt, and the next event catches the view up", async () => {
    const { deadLettered, deliveries } = sandbox.bus.stats();
    faults().set({ projection: 1 });
    expect((await post(api, alice.token, message("first, dead-lettered"))).status).to.equal(202);
    await settle();
    const stats = sandbox.bus.stats();
    const targets = stats.deadLettered - deadLettered; // every projection of message_sent
    expect(targets).to.be.above(0);
    expect(stats.deliveries - deliveries).to.equal(4 * targets); // maxAttempts each, none given up early
    const letters = (await readFile(sandbox.bus.deadLetterFile("channel"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as DeadLetter);
    expect(letters.at(-1)).to.include({ attempts: 4, projection: "channel" });
    expect(letters.at(-1)!.error).to.match(/injected projection fault/);
    // (Half of those faults strike after the handler ran, so the view may already hold it.)

    faults().set({ projection: 0, "s3-put": 1 });
    expect((await post(api, alice.token, message("second, S3 refused"))).status).to.equal(202);
    await settle();
    expect(sandbox.bus.stats().deadLettered).to.be.above(deadLettered + targets); // S3 answered 503 to every try
    expect(faults().injected()["s3-put"]).to.be.above(0);
    expect(await texts()).to.not.include("second, S3 refused");

    faults().set({ "s3-put": 0 });
    expect((await post(api, alice.token, message("third"))).status).to.equal(202);
    await settle();
    const all = await texts();
    expect(all.slice(-3)).to.deep.equal(["first, dead-lettered", "second, S3 refused", "third"]);
  });

  it("duplicate: every delivery is made twice, and the views hold each message once", async () => {
    const { deliveries } = sandbox.bus.stats();
    faults().set({ duplicate: 1 });
    expect((await post(api, alice.token, message("twice delivered"))).status).to.equal(202);
    await settle();
    expect(sandbox.bus.stats().deliveries - deliveries).to.equal(2 * faults().injected().duplicate);
    expect((await texts()).filter((t) => t === "twice delivered")).to.have.length(1);
  });

  it("delay: deliveries held back and reordered still give every message once, in seq order", async () => {
    faults().set({ delay: 1 });
    const sent: string[] = [];
    for (let i = 0; i < 8; i++) {
      sent.push(`delayed ${i}`);
      expect((await post(api, alice.token, message(`delayed ${i}`))).status).to.equal(202);
    }
    await settle();
    expect(faults().injected().delay).to.be.at.least(8);
    const { messages } = await channelMessages(api, alice.token, channelId);
    expect(messages.map((m) => m.text).slice(-8)).to.deep.equal(sent);
    const seqs = messages.map((m) => m.seq);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
  });
});
