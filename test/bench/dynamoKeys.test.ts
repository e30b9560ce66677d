/**
 * The partition keys a DynamoDB write request writes: the table's key of every item, and
 * a global secondary index's key when a write sets, changes or removes it, charged to the
 * key the entry leaves as well as the one it joins.
 */
import { expect } from "chai";
import { applyUpdate, DynamoKeyWrites } from "../../bench/dynamoKeys";

const s = (value: string) => ({ S: value });
const n = (value: number) => ({ N: String(value) });

describe("bench DynamoDB writes per key", () => {
  const units = (item: Record<string, unknown>) => (JSON.stringify(item).length > 200 ? 2 : 1);
  let keys: DynamoKeyWrites;
  beforeEach(() => {
    keys = new DynamoKeyWrites({ events: ["unpublished"] }, units);
  });

  it("charges a put to its partition key, at the units consumed, and the index key it sets", () => {
    const put = { TableName: "events", Item: { pk: s("channel-a"), sk: n(1), unpublished: s("pending#3") } };
    expect(keys.writes("PutItem", put, "ok", 1)).to.deep.equal([
      { store: "dynamodb:events", key: "channel-a", units: 1 },
      { store: "dynamodb:events/unpublished", key: "pending#3", units: 1 },
    ]);
  });

  it("charges the removal of an index key to the key the item held", () => {
    keys.writes("PutItem", { TableName: "events", Item: { pk: s("channel-a"), sk: n(1), unpublished: s("pending#3") } }, "ok", 1);
    const remove = { TableName: "events", Key: { pk: s("channel-a"), sk: n(1) }, UpdateExpression: "REMOVE #u", ExpressionAttributeNames: { "#u": "unpublished" } };
    expect(keys.writes("UpdateItem", remove, "ok", 1)).to.deep.equal([
      { store: "dynamodb:events", key: "channel-a", units: 1 },
      { store: "dynamodb:events/unpublished", key: "pending#3", units: 1 },
    ]);
    // Removed already: a second removal writes no index entry.
    expect(keys.writes("UpdateItem", remove, "ok", 1)).to.deep.equal([{ store: "dynamodb:events", key: "channel-a", units: 1 }]);
  });

  it("charges a refused conditional write to its key, and no index entry", () => {
    const put = { TableName: "events", Item: { pk: s("claim#x"), sk: n(0), unpublished: s("pending#1") } };
    expect(keys.writes("PutItem", put, "conditionFailed", 0)).to.deep.equal([{ store: "dynamodb:events", key: "claim#x", units: 1, refused: true }]);
    expect(keys.writes("PutItem", put, "error", 0)).to.deep.equal([]);
    keys.writes("PutItem", { TableName: "events", Item: { pk: s("channel-a"), sk: n(1), unpublished: s("pending#3") } }, "ok", 1);
    const remove = { TableName: "events", Key: { pk: s("channel-a"), sk: n(1) }, UpdateExpression: "REMOVE #u", ExpressionAttributeNames: { "#u": "unpublished" } };
    expect(keys.writes("UpdateItem", remove, "conditionFailed", 0)).to.deep.equal([{ store: "dynamodb:events", key: "channel-a", units: 1, refused: true }]);
  });

  it("charges a delete to the index key the item held, and an unchanged index key nothing", () => {
    const item = { pk: s("channel-b"), sk: n(2), unpublished: s("pending#9") };
    keys.writes("PutItem", { TableName: "events", Item: item }, "ok", 1);
    expect(keys.writes("PutItem", { TableName: "events", Item: { ...item, other: s("x") } }, "ok", 1)).to.deep.equal([{ store: "dynamodb:events", key: "channel-b", units: 1 }]);
    expect(keys.writes("DeleteItem", { TableName: "events", Key: { pk: s("channel-b"), sk: n(2) } }, "ok", 1)).to.deep.equal([
      { store: "dynamodb:events", key: "channel-b", units: 1 },
      { store: "dynamodb:events/unpublished", key: "pending#9", units: 1 },
    ]);
  });

  it("charges each item of a batch to its own key at its own size, and a transaction twice", () => {
    const big = { pk: s("channel-c"), sk: n(1), event: s("x".repeat(300)) };
    const batch = { RequestItems: { events: [{ PutRequest: { Item: big } }, { PutRequest: { Item: { pk: s("channel-d"), sk: n(1) } } }, { DeleteRequest: { Key: { pk: s("channel-e"), sk: n(1) } } }] } };
    expect(keys.writes("BatchWriteItem", batch, "ok", 4)).to.deep.equal([
      { store: "dynamodb:events", key: "channel-c", units: 2 },
      { store: "dynamodb:events", key: "channel-d", units: 1 },
      { store: "dynamodb:events", key: "channel-e", units: 1 },
    ]);
    const transaction = { TransactItems: [{ Put: { TableName: "events", Item: { pk: s("channel-f"), sk: n(1), unpublished: s("pending#2") } } }, { ConditionCheck: { TableName: "events", Key: { pk: s("claim#y"), sk: n(0) } } }] };
    expect(keys.writes("TransactWriteItems", transaction, "ok", 4)).to.deep.equal([
      { store: "dynamodb:events", key: "channel-f", units: 2 },
      { store: "dynamodb:events/unpublished", key: "pending#2", units: 1 },
      { store: "dynamodb:events", key: "claim#y", units: 2 },
    ]);
  });

  it("reads an UpdateExpression's SET and REMOVE of index attributes, other attributes left alone", () => {
    const request = (expression: string, values: Record<string, unknown> = {}) => ({ UpdateExpression: expression, ExpressionAttributeNames: { "#u": "unpublished", "#r": "recorded" }, ExpressionAttributeValues: values });
    expect(applyUpdate({}, ["unpublished"], request("SET #r = :r, #u = :u", { ":r": s("x"), ":u": s("pending#4") }))).to.deep.equal({ unpublished: "pending#4" });
    expect(applyUpdate({ unpublished: "pending#4" }, ["unpublished"], request("SET #r = :r REMOVE #u", { ":r": s("x") }))).to.deep.equal({});
    expect(applyUpdate({}, ["unpublished"], request("SET #u = if_not_exists(#u, :u), #r = :r", { ":u": s("p"), ":r": s("x") }))).to.deep.equal({ unpublished: "?" });
  });
});
