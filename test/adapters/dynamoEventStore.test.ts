/** The event store adapter: snapshot writes against a mocked DynamoDB client (the exact request, no failure passed on), and against dynalite snapshots in parts, sets kept apart, and event items as the table stream's filter sees them. */
import { DynamoDBClient, GetItemCommand, ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
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

describe("DynamoEventStore snapshots with a set kept apart, against dynalite", () => {
  let dataDir: string;
  let service: dynamodb.DynamoDbService;
  let raw: DynamoDBDocumentClient;
  let store: DynamoEventStore;
  /** Every item put through the store, as the table's key and its size in bytes of JSON. */
  let puts: { pk: string; bytes: number }[];

  before(async () => {
    dataDir = await tempDataDir();
    service = await dynamodb.start(testContext(dataDir));
    raw = documentClient(new DynamoDBClient({ endpoint: service.url, region: resources.region, credentials: sandboxCredentials }));
    const counted = documentClient(new DynamoDBClient({ endpoint: service.url, region: resources.region, credentials: sandboxCredentials }));
    const send = counted.send.bind(counted) as (command: unknown) => Promise<unknown>;
    (counted as { send: unknown }).send = (command: unknown) => {
      if (command instanceof PutCommand) puts.push({ pk: command.input.Item!.pk as string, bytes: JSON.stringify(command.input.Item).length });
      return send(command);
    };
    store = new DynamoEventStore(counted, () => resources.eventsTable);
  });
  beforeEach(() => {
    puts = [];
  });
  after(async () => {
    await service.stop();
    await removeDir(dataDir);
  });

  const members = (n: number) => Array.from({ length: n }, (_, i) => `${String(i).padStart(8, "0")}-0000-4000-8000-000000000000`);
  const small = (version: number) => ({ version, exists: true, name: "everyone", messageCount: version });

  it("writes a large set once: a later snapshot of the same set writes one small item, and reads it back whole", async () => {
    const set = { version: 5, items: members(12_000) };
    await store.writeSnapshot("channel-apart", 16, small(16), set);
    expect(puts.filter((p) => p.pk !== "channel-apart").reduce((n, p) => n + p.bytes, 0), "the set, in parts").to.be.greaterThan(400 * 1024);
    expect(puts.filter((p) => p.pk === "channel-apart")).to.have.length(1);

    puts = [];
    await store.writeSnapshot("channel-apart", 32, small(32), set);
    expect(puts.map((p) => p.pk), "only the snapshot item").to.deep.equal(["channel-apart"]);
    expect(puts[0]!.bytes).to.be.lessThan(1024);
    expect(await store.readSnapshot("channel-apart")).to.deep.equal({ version: 32, state: small(32), set });

    puts = [];
    const changed = { version: 40, items: [...set.items, "someone-new"] };
    await store.writeSnapshot("channel-apart", 48, small(48), changed);
    expect(puts.filter((p) => p.pk !== "channel-apart").length, "a changed set is written again").to.be.greaterThan(1);
    expect(await store.readSnapshot("channel-apart")).to.deep.equal({ version: 48, state: small(48), set: changed });
  });

  it("keeps a state whose set is apart out of sight of readers from before sets (no `state` or `parts`), small or in parts", async () => {
    await store.writeSnapshot("channel-core", 16, small(16), { version: 5, items: members(3) });
    const big = { ...small(32), padding: "x".repeat(150_000) };
    await store.writeSnapshot("channel-core-parts", 32, big, { version: 5, items: members(3) });
    for (const pk of ["channel-core", "channel-core-parts"]) {
      const item = (await raw.send(new GetCommand({ TableName: resources.eventsTable, Key: { pk, sk: 0 } }))).Item!;
      // What the code before 2026-12 read: `state`, or `parts` of it; finding neither, it folds the stream.
      expect(item, pk).to.not.have.any.keys("state", "parts");
    }
    expect((await store.readSnapshot("channel-core"))?.state).to.deep.equal(small(16));
    expect((await store.readSnapshot("channel-core-parts"))?.state).to.deep.equal(big);
  });

  it("writes nothing when the stored snapshot is as new", async () => {
    const set = { version: 3, items: members(10) };
    await store.writeSnapshot("channel-newer", 20, small(20), set);
    puts = [];
    await store.writeSnapshot("channel-newer", 20, small(20), set);
    await store.writeSnapshot("channel-newer", 18, small(18), { version: 2, items: [] });
    expect(puts).to.deep.equal([]);
    expect(await store.readSnapshot("channel-newer")).to.deep.equal({ version: 20, state: small(20), set });
  });

  it("stores a set again, under its own key with a new expiry, once it has been pointed at for a week", async () => {
    const set = { version: 7, items: members(100) };
    await store.writeSnapshot("channel-old-set", 16, small(16), set);
    const inThreeWeeks = Math.floor(Date.now() / 1000) + 21 * 24 * 3600;
    await raw.send(new UpdateCommand({ TableName: resources.eventsTable, Key: { pk: "channel-old-set", sk: 0 }, UpdateExpression: "SET setExpiresAt = :t", ExpressionAttributeValues: { ":t": inThreeWeeks } }));
    puts = [];
    await store.writeSnapshot("channel-old-set", 32, small(32), set);
    expect(puts.map((p) => p.pk)).to.deep.equal([`${eventTable.snapshotPartsPrefix}channel-old-set#set#7`, "channel-old-set"]);
    const item = (await raw.send(new GetCommand({ TableName: resources.eventsTable, Key: { pk: "channel-old-set", sk: 0 } }))).Item!;
    expect(item.setExpiresAt).to.be.greaterThan(inThreeWeeks + 7 * 24 * 3600);
  });

  it("reads a snapshot whose set has expired as none, so the state is folded from the stream instead", async () => {
    await store.writeSnapshot("channel-expired", 16, small(16), { version: 9, items: members(3) });
    await raw.send(new DeleteCommand({ TableName: resources.eventsTable, Key: { pk: `${eventTable.snapshotPartsPrefix}channel-expired#set#9`, sk: 1 } }));
    expect(await store.readSnapshot("channel-expired")).to.equal(undefined);
  });

  it("replaces a snapshot of the layout before sets were kept apart (state whole, or in parts) and is no stream", async () => {
    const whole = { ...small(30), members: members(12_000) };
    await store.writeSnapshot("channel-legacy", 30, whole);
    expect(await store.readSnapshot("channel-legacy")).to.deep.equal({ version: 30, state: whole });
    const set = { version: 31, items: [...whole.members, "one-more"] };
    await store.writeSnapshot("channel-legacy", 32, small(32), set);
    expect(await store.readSnapshot("channel-legacy")).to.deep.equal({ version: 32, state: small(32), set });
    expect((await store.streams()).map((s) => s.stream), "parts and sets are not streams").to.deep.equal([]);
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
    await store.writeSnapshot("channel-stream01-0000-4000-8000-000000000000", 1, { name: "x" }, { version: 1, items: ["u"] });
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
    const setPart = [`${eventTable.snapshotPartsPrefix}channel-stream01-0000-4000-8000-000000000000#set#1`, 1] as const;
    for (const [pk, sk] of [[stored.stream, 0], setPart, [`${eventTable.claimPrefix}message#x`, 0], [`${eventTable.readMarksPrefix}u`, 0]] as const) {
      const other = await image(pk, sk);
      expect(other, pk).to.not.equal(undefined);
      expect(matches(eventTable.streamFilter, insert(other)), pk).to.equal(false);
    }
    low.destroy();
  });
});
