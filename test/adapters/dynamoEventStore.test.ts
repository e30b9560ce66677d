/** The event store adapter's snapshot writes, against a mocked DynamoDB client: the exact request, and no failure passed on. */
import { DynamoDBClient, ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { documentClient, DynamoEventStore } from "../../functions/adapters/dynamoEventStore";

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
