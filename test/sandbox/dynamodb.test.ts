import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { eventTable } from "../../functions/adapters/eventTable";
import { resources } from "../../infra/local/context";
import * as dynamodb from "../../infra/local/dynamodb";
import { sandboxCredentials } from "../../infra/local/env";
import { removeDir, tempDataDir, testContext } from "../support/sandboxContext";

describe("sandbox DynamoDB (dynalite)", () => {
  let dataDir: string;
  let service: dynamodb.DynamoDbService;
  const client = (url: string) => new DynamoDBClient({ endpoint: url, region: resources.region, credentials: sandboxCredentials });

  before(async () => {
    dataDir = await tempDataDir();
    service = await dynamodb.start(testContext(dataDir));
  });
  after(async () => {
    await service.stop();
    await removeDir(dataDir);
  });

  it("creates the event table as functions/adapters/eventTable.ts declares it, ready at once", async () => {
    const db = client(service.url);
    const { Table } = await db.send(new DescribeTableCommand({ TableName: resources.eventsTable }));
    db.destroy();
    expect(Table!.TableStatus).to.equal("ACTIVE");
    expect(Table!.BillingModeSummary?.BillingMode).to.equal("PAY_PER_REQUEST");
    expect(Table!.KeySchema).to.deep.equal([
      { AttributeName: eventTable.partitionKey, KeyType: "HASH" },
      { AttributeName: eventTable.sortKey, KeyType: "RANGE" },
    ]);
    // No index: the table's stream is the outbox (an index key would be written by every event).
    expect(Table!.GlobalSecondaryIndexes ?? []).to.deep.equal([]);
    expect(Table!.AttributeDefinitions).to.deep.include({ AttributeName: eventTable.sortKey, AttributeType: "N" });
  });

  it("keeps items in <dataDir>/dynamodb across a restart, and starts again over an existing table", async () => {
    const item = { pk: { S: "channel-restart" }, sk: { N: "1" }, type: { S: "channel_created" } };
    let db = client(service.url);
    await db.send(new PutItemCommand({ TableName: resources.eventsTable, Item: item }));
    db.destroy();
    await service.stop();
    service = await dynamodb.start(testContext(dataDir));
    db = client(service.url);
    const { Item } = await db.send(new GetItemCommand({ TableName: resources.eventsTable, Key: { pk: item.pk, sk: item.sk } }));
    db.destroy();
    expect(Item).to.deep.equal(item);
  });
});
