/** The event store adapter: snapshot writes against a mocked DynamoDB client (the exact request, no failure passed on), and against dynalite snapshots in parts and event items as the table stream's filter sees them. */
import { DynamoDBClient, GetItemCommand, ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { documentClient, DynamoEventStore } from "../../functions/adapters/dynamoEventStore";
import { eventTable } from "../../functions/adapters/eventTable";
import type { StoredEvent } from "../../functions/domain/events";
import { resources } from "../../infra/local/context";
import * as dynamodb from "../../infra/local/dynamodb";
import { sandboxCredentials } from "../../infra/local/env";
import { matches } from "../../infra/local/tableStream";
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

describe("DynamoEventStore items and the table stream's filter, against dynalite", () => {
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

  it("stores an event as one item that the table stream's filter passes, with no outbox mark; claims, snapshots and read marks never pass it", async () => {
    const stored = event("channel-stream00-0000-4000-8000-000000000000", 1, "2026-12-01T00:00:00.000Z");
    expect(await store.append(stored)).to.equal("appended");
    await store.writeSnapshot(stored.stream, 1, { members: ["u"] });
    await raw.send(new PutCommand({ TableName: resources.eventsTable, Item: { pk: `${eventTable.claimPrefix}message#x`, sk: 0, key: "message#x", eventId: stored.eventId, stream: stored.stream, afterSeq: 0 } }));
    await raw.send(new PutCommand({ TableName: resources.eventsTable, Item: { pk: `${eventTable.readMarksPrefix}u`, sk: 0, marks: { c: 1 } } }));
    const low = new DynamoDBClient({ endpoint: service.url, region: resources.region, credentials: sandboxCredentials });
    const image = async (pk: string, sk: number) => (await low.send(new GetItemCommand({ TableName: resources.eventsTable, Key: { pk: { S: pk }, sk: { N: String(sk) } } }))).Item;
    const insert = (newImage: unknown) => ({ eventName: "INSERT", dynamodb: { NewImage: newImage } });

    const item = await image(stored.stream, 1);
    expect(Object.keys(item!).sort()).to.deep.equal(["event", "eventId", "pk", "sk", "timestamp", "type"]);
    expect(JSON.parse(item!.event!.S!)).to.deep.equal(stored);
    expect(matches(eventTable.streamFilter, insert(item))).to.equal(true);
    expect(matches(eventTable.streamFilter, { eventName: "MODIFY", dynamodb: { NewImage: item } }), "only inserts").to.equal(false);
    for (const [pk, sk] of [[stored.stream, 0], [`${eventTable.claimPrefix}message#x`, 0], [`${eventTable.readMarksPrefix}u`, 0]] as const) {
      const other = await image(pk, sk);
      expect(other, pk).to.not.equal(undefined);
      expect(matches(eventTable.streamFilter, insert(other)), pk).to.equal(false);
    }
    low.destroy();
  });

});
