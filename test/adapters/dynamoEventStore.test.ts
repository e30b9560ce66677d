/** The event store adapter's snapshot writes, against a mocked DynamoDB client: the exact request, and no failure passed on. */
import { DynamoDBClient, ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { documentClient, DynamoEventStore } from "../../functions/adapters/dynamoEventStore";
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
