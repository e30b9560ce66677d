/** The event store adapter: snapshot writes against a mocked DynamoDB client (the exact request, no failure passed on), and against dynalite snapshots in parts and the sharded outbox. */
import { DynamoDBClient, ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { documentClient, DynamoEventStore } from "../../functions/adapters/dynamoEventStore";
import { eventTable, outboxKey } from "../../functions/adapters/eventTable";
import type { StoredEvent } from "../../functions/domain/events";
import { resources } from "../../infra/local/context";
import * as dynamodb from "../../infra/local/dynamodb";
import { sandboxCredentials } from "../../infra/local/env";
import { removeDir, tempDataDir, testContext } from "../support/sandboxContext";

describe("DynamoEventStore snapshots", () => {
  const db = documentClient(new DynamoDBClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } }));
  const mock = mockClient(db);
  const store = new DynamoEventStore(db, () => "events");
  afterEach(() => mock.reset());

  it("writes the snapshot at sk 0 only over an older one", async () => {
    mock.on(PutCommand).resolves({});
    await store.writeSnapshot("channel-c", 17, { members: ["a"] });
    expect(mock.commandCalls(PutCommand)[0]?.args[0].input).to.deep.equal({
      TableName: "events",
      Item: { pk: "channel-c", sk: 0, version: 17, state: '{"members":["a"]}' },
      ConditionExpression: "attribute_not_exists(pk) OR version < :v",
      ExpressionAttributeValues: { ":v": 17 },
    });
  });

  it("never fails its caller: a throttled or refused snapshot write is given up", async () => {
    mock.on(PutCommand).rejects(new ProvisionedThroughputExceededException({ message: "slow down", $metadata: {} }));
    await store.writeSnapshot("channel-c", 17, { members: [] });
    mock.on(PutCommand).rejects(Object.assign(new Error("Item size has exceeded the maximum allowed size"), { name: "ValidationException" }));
    await store.writeSnapshot("channel-c", 18, { members: [] });
    expect(mock.commandCalls(PutCommand)).to.have.length(2);
  });
});

describe("DynamoEventStore snapshots against dynalite", () => {
  let dataDir: string;
  let service: dynamodb.DynamoDbService;
  let store: DynamoEventStore;

  before(async () => {
    dataDir = await tempDataDir();
    service = await dynamodb.start(testContext(dataDir));
    const client = new DynamoDBClient({ endpoint: service.url, region: resources.region, credentials: sandboxCredentials });
    store = new DynamoEventStore(documentClient(client), () => resources.eventsTable);
  });
  after(async () => {
    await service.stop();
    await removeDir(dataDir);
  });

  it("keeps a member set of any size: a snapshot past one item's 400 KB is written in parts and read back whole", async () => {
    const members = Array.from({ length: 12_000 }, (_, i) => `${String(i).padStart(8, "0")}-0000-4000-8000-000000000000`);
    const state = { version: 20_001, exists: true, name: "everyone", private: false, members, messageCount: 7 };
    expect(JSON.stringify(state).length).to.be.greaterThan(400 * 1024);
    await store.writeSnapshot("channel-big", 20_001, state);
    expect(await store.readSnapshot("channel-big")).to.deep.equal({ version: 20_001, state });
    expect((await store.streams()).map((s) => s.stream), "the parts are not streams").to.deep.equal([]);
  });

  it("keeps the newer snapshot when an older one is written after it, in parts or not", async () => {
    const big = { members: Array.from({ length: 9_000 }, (_, i) => `member-${i}-of-a-large-channel-000000`) };
    await store.writeSnapshot("channel-order", 30, big);
    await store.writeSnapshot("channel-order", 12, { members: ["a"] });
    expect(await store.readSnapshot("channel-order")).to.deep.equal({ version: 30, state: big });
  });
});

describe("DynamoEventStore outbox against dynalite", () => {
  let dataDir: string;
  let service: dynamodb.DynamoDbService;
  let store: DynamoEventStore;
  let raw: DynamoDBDocumentClient;

  before(async () => {
    dataDir = await tempDataDir();
    service = await dynamodb.start(testContext(dataDir));
    raw = documentClient(new DynamoDBClient({ endpoint: service.url, region: resources.region, credentials: sandboxCredentials }));
    store = new DynamoEventStore(raw, () => resources.eventsTable);
  });
  after(async () => {
    await service.stop();
    await removeDir(dataDir);
  });

  const event = (stream: string, seq: number, timestamp: string): StoredEvent =>
    ({ type: "channel_topic_set", eventId: `${stream}-${seq}`, stream, seq, timestamp, userId: "u", channelId: stream.slice(8), topic: "t" }) as StoredEvent;

  it("marks events on as many index keys as there are streams to spread them (no key every event writes), and sweeps them all, oldest first", async () => {
    const streams = Array.from({ length: 64 }, (_, i) => `channel-${String(i).padStart(8, "0")}-0000-4000-8000-000000000000`);
    const events = streams.map((s, i) => event(s, 1, new Date(Date.UTC(2026, 0, 1, 0, 0, 64 - i)).toISOString()));
    for (const e of events) expect(await store.append(e)).to.equal("appended");
    const keys = new Set(events.map((e) => outboxKey(e.stream)));
    expect(keys.size, "64 streams over the shards").to.be.greaterThan(eventTable.unpublishedIndex.shards / 2);
    expect(outboxKey(streams[0]!)).to.equal(outboxKey(streams[0]!));
    // An event an earlier version marked with the one key every event shared is still swept.
    const legacy = event("channel-legacy00-0000-4000-8000-000000000000", 1, "2025-12-31T00:00:00.000Z");
    await raw.send(new PutCommand({ TableName: resources.eventsTable, Item: { pk: legacy.stream, sk: 1, eventId: legacy.eventId, type: legacy.type, timestamp: legacy.timestamp, event: JSON.stringify(legacy), unpublished: "pending" } }));

    const swept = await store.unpublished("2027-01-01T00:00:00.000Z", 1000);
    expect(swept.map((e) => e.eventId)).to.deep.equal([legacy, ...events].sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1)).map((e) => e.eventId));
    expect((await store.unpublished("2027-01-01T00:00:00.000Z", 5)).map((e) => e.eventId)).to.deep.equal(swept.slice(0, 5).map((e) => e.eventId));

    for (const e of [legacy, ...events.slice(0, 60)]) await store.markPublished(e);
    expect((await store.unpublished("2027-01-01T00:00:00.000Z", 1000)).map((e) => e.eventId).sort()).to.deep.equal(events.slice(60).map((e) => e.eventId).sort());
  });
});
