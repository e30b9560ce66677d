/**
 * The sandbox's stand-in for the event table's stream and the event source mapping that
 * feeds the publisher (infra/local/tableStream.ts): what the AWS mapping promises, checked
 * against dynalite with a publisher under the test's control.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { expect } from "chai";
import { documentClient, DynamoEventStore } from "../../functions/adapters/dynamoEventStore";
import type { StoredEvent } from "../../functions/domain/events";
import { resources } from "../../infra/local/context";
import * as dynamodb from "../../infra/local/dynamodb";
import { sandboxCredentials } from "../../infra/local/env";
import { removeDir, tempDataDir, testContext } from "../support/sandboxContext";

const topic = (seq: number): StoredEvent =>
  ({ type: "channel_topic_set", eventId: `e${seq}`, stream: "channel-s", seq, timestamp: "2026-12-01T00:00:00.000Z", userId: "u", channelId: "s", topic: `t${seq}` }) as StoredEvent;

/** A publisher that records what it got and refuses while `refuseFrom` names an event id it meets. */
class Publisher {
  readonly received: string[][] = [];
  refuse: string | undefined;
  /** An answer to give instead of the one `refuse` makes. */
  answer: DynamoDBBatchResponse | undefined;
  readonly handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const ids = event.Records.map((r) => (JSON.parse(r.dynamodb!.NewImage!.event!.S!) as StoredEvent).eventId);
    this.received.push(ids);
    if (this.answer) return this.answer;
    const at = this.refuse === undefined ? -1 : ids.indexOf(this.refuse);
    return { batchItemFailures: at < 0 ? [] : [{ itemIdentifier: event.Records[at]!.dynamodb!.SequenceNumber! }] };
  };
  /** Every event id in the order it was first taken (retries after a refusal not counted twice). */
  taken(): string[] {
    const seen: string[] = [];
    for (const batch of this.received) for (const id of batch) if (!seen.includes(id)) seen.push(id);
    return seen;
  }
}

describe("sandbox: the event table's stream into the publisher", function () {
  this.timeout(20_000);
  let dataDir: string;
  let service: dynamodb.DynamoDbService | undefined;
  let publisher: Publisher;

  const start = async () => {
    service = await dynamodb.start(testContext(dataDir, { publish: (e) => publisher.handler(e) }));
    const db = documentClient(new DynamoDBClient({ endpoint: service.url, region: resources.region, credentials: sandboxCredentials }));
    return { db, store: new DynamoEventStore(db, () => resources.eventsTable) };
  };

  beforeEach(async () => {
    dataDir = await tempDataDir();
    publisher = new Publisher();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await removeDir(dataDir);
  });

  it("delivers every appended event in order, and nothing else the table holds (snapshots, claims)", async () => {
    const { db, store } = await start();
    service!.stream.startDelivery();
    for (let seq = 1; seq <= 5; seq++) expect(await store.append(topic(seq))).to.equal("appended");
    await store.writeSnapshot("channel-s", 5, { members: ["u"] });
    await db.send(new PutCommand({ TableName: resources.eventsTable, Item: { pk: "claim#message#s#m", sk: 0, key: "message#s#m", eventId: "e1" } }));
    expect(await store.append(topic(3)), "a conflicting append stores nothing").to.equal("conflict");
    await service!.stream.idle();
    expect(publisher.received.flat()).to.deep.equal(["e1", "e2", "e3", "e4", "e5"]);
    expect(service!.stream.backlog()).to.equal(0);
  });

  it("holds what was stored before delivery starts, and delivers it then", async () => {
    const { store } = await start();
    await store.append(topic(1));
    await store.append(topic(2));
    expect(publisher.received).to.deep.equal([]);
    expect(service!.stream.backlog()).to.equal(2);
    service!.stream.startDelivery();
    await service!.stream.idle();
    expect(publisher.received.flat()).to.deep.equal(["e1", "e2"]);
  });

  it("retries from the first record the publisher refused, never delivering a later one first, until it is taken", async () => {
    const { store } = await start();
    service!.stream.startDelivery();
    publisher.refuse = "e2";
    for (let seq = 1; seq <= 4; seq++) await store.append(topic(seq));
    await service!.stream.idle(); // waiting to retry e2
    expect(service!.stream.backlog(), "e2 and what follows it").to.equal(3);
    const beforeRetry = publisher.received.length;
    service!.stream.retryNow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await service!.stream.idle();
    expect(publisher.received.length, "retried").to.be.above(beforeRetry);
    for (const batch of publisher.received.slice(1)) expect(batch[0], "every retry starts at e2").to.equal("e2");
    publisher.refuse = undefined;
    service!.stream.retryNow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await service!.stream.idle();
    expect(publisher.taken()).to.deep.equal(["e1", "e2", "e3", "e4"]);
    expect(service!.stream.backlog()).to.equal(0);
  });

  it("takes an answer naming no record of the batch (empty, unknown) as the whole batch failing, as AWS does, never as its success", async () => {
    const { store } = await start();
    publisher.answer = { batchItemFailures: [{ itemIdentifier: "" }] };
    service!.stream.startDelivery();
    await store.append(topic(1));
    await store.append(topic(2));
    await service!.stream.idle();
    expect(service!.stream.backlog(), "an empty identifier").to.equal(2);
    publisher.answer = { batchItemFailures: [{ itemIdentifier: "00000000000000000000" }] };
    service!.stream.retryNow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await service!.stream.idle();
    expect(service!.stream.backlog(), "an identifier of no record in the batch").to.equal(2);
    publisher.answer = undefined;
    service!.stream.retryNow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await service!.stream.idle();
    expect(service!.stream.backlog()).to.equal(0);
    expect(publisher.taken()).to.deep.equal(["e1", "e2"]);
  });

  it("keeps undelivered records across a restart on the same data dir, and delivers them after it, once", async () => {
    let { store } = await start();
    service!.stream.startDelivery();
    await store.append(topic(1));
    await service!.stream.idle();
    publisher.refuse = "e2";
    await store.append(topic(2));
    await store.append(topic(3));
    await service!.stream.idle();
    await service!.stop();

    publisher = new Publisher();
    ({ store } = await start());
    expect(service!.stream.backlog()).to.equal(2);
    service!.stream.startDelivery();
    await service!.stream.idle();
    expect(publisher.received.flat(), "e1 was taken before the stop: not again").to.deep.equal(["e2", "e3"]);
    await store.append(topic(4));
    await service!.stream.idle();
    expect(publisher.taken()).to.deep.equal(["e2", "e3", "e4"]);
  });

  it("records BatchWriteItem puts, except those written through unrecorded() (seeding a history)", async () => {
    const { db } = await start();
    service!.stream.startDelivery();
    const item = (e: StoredEvent) => ({ PutRequest: { Item: { pk: e.stream, sk: e.seq, eventId: e.eventId, type: e.type, timestamp: e.timestamp, event: JSON.stringify(e) } } });
    await service!.stream.unrecorded(() => db.send(new BatchWriteCommand({ RequestItems: { [resources.eventsTable]: [item(topic(1)), item(topic(2))] } })));
    await db.send(new BatchWriteCommand({ RequestItems: { [resources.eventsTable]: [item(topic(3)), item(topic(4))] } }));
    await service!.stream.idle();
    expect(publisher.received.flat()).to.deep.equal(["e3", "e4"]);
  });
});
