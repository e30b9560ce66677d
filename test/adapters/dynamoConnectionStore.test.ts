/** The realtime table's adapters against dynalite: presence entries kept by version, forgetting a connection everywhere, membership registers. */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { expect } from "chai";
import { DynamoConnectionStore } from "../../functions/adapters/dynamoConnectionStore";
import { documentClient } from "../../functions/adapters/dynamoEventStore";
import { DynamoMembershipStore } from "../../functions/adapters/dynamoMembershipStore";
import { resources } from "../../infra/local/context";
import * as dynamodb from "../../infra/local/dynamodb";
import { sandboxCredentials } from "../../infra/local/env";
import { removeDir, tempDataDir, testContext } from "../support/sandboxContext";

describe("DynamoConnectionStore and DynamoMembershipStore against dynalite", () => {
  let dataDir: string;
  let service: dynamodb.DynamoDbService;
  let db: DynamoDBDocumentClient;
  let connections: DynamoConnectionStore;
  let memberships: DynamoMembershipStore;
  const later = () => Math.floor(Date.now() / 1000) + 3600;
  const ids = (found: { connectionId: string }[]) => found.map((c) => c.connectionId).sort();
  const itemsUnder = async (pk: string) =>
    (await db.send(new QueryCommand({ TableName: resources.connectionsTable, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": pk } }))).Items ?? [];
  const keysUnder = async (pk: string) => (await itemsUnder(pk)).map((i) => i.sk as string);

  before(async () => {
    dataDir = await tempDataDir();
    service = await dynamodb.start(testContext(dataDir));
    db = documentClient(new DynamoDBClient({ endpoint: service.url, region: resources.region, credentials: sandboxCredentials }));
    connections = new DynamoConnectionStore(db, () => resources.connectionsTable);
    memberships = new DynamoMembershipStore(db, () => resources.connectionsTable);
  });
  after(async () => {
    await service.stop();
    await removeDir(dataDir);
  });

  it("finds a channel's connections by its presence, only those entered in it", async () => {
    await connections.add({ connectionId: "p1", userId: "ann" }, later());
    await connections.add({ connectionId: "p2", userId: "ben" }, later());
    await connections.enter({ connectionId: "p1", userId: "ann" }, [{ channelId: "c1", version: 3 }, { channelId: "c2", version: 1 }]);
    await connections.enter({ connectionId: "p2", userId: "ben" }, [{ channelId: "c2", version: 4 }]);
    expect(await connections.inChannel("c1")).to.deep.equal([{ connectionId: "p1", userId: "ann" }]);
    expect(ids(await connections.inChannel("c2"))).to.deep.equal(["p1", "p2"]);
    expect(await connections.inChannel("c3")).to.deep.equal([]);
  });

  it("keeps an entry made by a newer verdict: an older enter does not lower it, an older exit does not take it out", async () => {
    const ann = { connectionId: "v1", userId: "ann" };
    await connections.add(ann, later());
    await connections.enter(ann, [{ channelId: "cv", version: 9 }]);
    await connections.enter(ann, [{ channelId: "cv", version: 5 }]);
    await connections.exit("cv", [ann], 7);
    expect(ids(await connections.inChannel("cv"))).to.deep.equal(["v1"]);
    await connections.exit("cv", [ann], 9);
    expect(await connections.inChannel("cv")).to.deep.equal([]);
    await connections.exit("cv", [ann], 10);
  });

  it("forgets a connection under its user, under everyone and in every channel it was entered in (and the ones named)", async () => {
    const cat = { connectionId: "r1", userId: "cat" };
    await connections.add(cat, later());
    await connections.enter(cat, [{ channelId: "ra", version: 1 }]);
    await connections.enter(cat, [{ channelId: "rb", version: 2 }]);
    await db.send(new PutCommand({ TableName: resources.connectionsTable, Item: { pk: "channel#rc", sk: "r1", connectionId: "r1", userId: "cat", expiresAt: later(), version: 1 } }));
    await connections.remove(cat, ["rc"]);
    expect(await connections.ofUser("cat")).to.deep.equal([]);
    expect(ids(await connections.all())).to.not.include("r1");
    for (const channel of ["ra", "rb", "rc"]) expect(await keysUnder(`channel#${channel}`), channel).to.deep.equal([]);
  });

  it("does not bring back a connection already forgotten when entering it", async () => {
    const dan = { connectionId: "g1", userId: "dan" };
    await connections.add(dan, later());
    await connections.remove(dan);
    await connections.enter(dan, [{ channelId: "cg", version: 1 }]);
    expect(await keysUnder("user#dan")).to.deep.equal([]);
    expect(await keysUnder("channel#cg")).to.deep.equal([]);
  });

  it("takes its entries out again when the connection is forgotten between listing the channels and entering them", async () => {
    const hal = { connectionId: "h1", userId: "hal" };
    await connections.add(hal, later());
    let disconnected = false;
    const racing = {
      send: async (command: unknown) => {
        const pk = command instanceof PutCommand ? String(command.input.Item?.pk) : "";
        if (pk.startsWith("channel#") && !disconnected) {
          disconnected = true;
          await connections.remove(hal);
        }
        return db.send(command as PutCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    await new DynamoConnectionStore(racing, () => resources.connectionsTable).enter(hal, [{ channelId: "ch1", version: 1 }, { channelId: "ch2", version: 1 }]);
    expect(disconnected).to.equal(true);
    expect(await keysUnder("channel#ch1")).to.deep.equal([]);
    expect(await keysUnder("channel#ch2")).to.deep.equal([]);
  });

  it("gives a presence entry its connection's expiry, and skips expired ones", async () => {
    const eve = { connectionId: "e1", userId: "eve" };
    const expired = Math.floor(Date.now() / 1000) - 1;
    await connections.add(eve, expired);
    await connections.enter(eve, [{ channelId: "ce", version: 1 }]);
    expect((await itemsUnder("channel#ce")).map((i) => [i.sk, i.expiresAt])).to.deep.equal([["e1", expired]]);
    expect(await connections.inChannel("ce")).to.deep.equal([]);
    expect(await connections.ofUser("eve")).to.deep.equal([]);
  });

  it("keeps each user's latest membership verdict per channel", async () => {
    await memberships.record("fay", "m1", { seq: 4, member: true });
    await memberships.record("fay", "m1", { seq: 3, member: false });
    await memberships.record("fay", "m2", { seq: 2, member: true });
    await memberships.record("fay", "m2", { seq: 6, member: false });
    await memberships.record("gus", "m1", { seq: 5, member: true });
    expect(await memberships.of("fay")).to.deep.equal({ m1: { seq: 4, member: true }, m2: { seq: 6, member: false } });
    expect(await memberships.of("nobody")).to.deep.equal({});
  });
});
