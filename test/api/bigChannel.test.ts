/**
 * A channel of thousands of members, seeded straight into the store (as the bench seeds
 * one), through the whole sandbox: a message costs it the DynamoDB write units it costs a
 * two-member channel (counted at the server's edge, as the bench counts them), its head
 * stays small, and its members document is not rewritten by messages.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { expect } from "chai";
import { Counters, diff, sum } from "../../bench/counters";
import { DynamoMeter } from "../../bench/meters";
import { type RunningProxy, startProxy } from "../../bench/proxy";
import { documentClient, DynamoEventStore } from "../../functions/adapters/dynamoEventStore";
import { S3ViewStore } from "../../functions/adapters/s3ViewStore";
import { foldChannel } from "../../functions/domain/channel/state";
import { type ChannelEvent, channelStream, type MessageSent, type UserJoinedChannel } from "../../functions/domain/events";
import { viewKeys } from "../../functions/domain/projections/keys";
import type { StoredHead } from "../../functions/domain/projections/storedHead";
import type { Sandbox } from "../../infra/local";
import { resources } from "../../infra/local/context";
import { sandboxCredentials } from "../../infra/local/env";
import { currentViews } from "../../functions/usecases/generations";
import { loadChannel, newChannelStates, snapshotEvery } from "../../functions/usecases/loadChannel";
import { catchUpChannel } from "../../functions/usecases/project";
import { type Person, post, signUp, view } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";

const bigMembers = 5000;

describe("a channel of thousands of members, through the sandbox", function () {
  this.timeout(300_000);
  let sandbox: Sandbox;
  let proxy: RunningProxy;
  let restoreEndpoint: string | undefined;
  const counters = new Counters();
  let ann: Person;
  let store: DynamoEventStore;
  let views: S3ViewStore;
  const channels: Record<"big" | "small", string> = { big: "", small: "" };

  /** Joins people the way the bench seeds them: events written straight in, and a snapshot of the old layout (members inside); the view folded from them. */
  async function seedJoins(channelId: string, count: number): Promise<void> {
    const events = await seed(channelId, count, (envelope) => {
      const userId = randomUUID();
      return { ...envelope, type: "user_joined_channel", userId, memberId: userId } as UserJoinedChannel;
    });
    const { membersSeq: _, ...old } = foldChannel((await loadChannel(store, channelId, newChannelStates())).state, []);
    expect(old.version).to.equal(events.at(-1)?.seq);
    await store.writeSnapshot(channelStream(channelId), old.version, old);
    await catchUpChannel(channelId, { store, views: await currentViews(views, "channel") });
  }

  /**
   * Writes `count` events after the channel's last straight into the store, with the table's
   * stream off as the bench seeds: the seeded history never goes to the bus.
   */
  async function seed<E extends ChannelEvent>(channelId: string, count: number, make: (envelope: { eventId: string; stream: string; seq: number; timestamp: string; channelId: string }) => E): Promise<E[]> {
    const stream = channelStream(channelId);
    const { state } = await loadChannel(store, channelId, newChannelStates());
    const timestamp = new Date().toISOString();
    const events = Array.from({ length: count }, (_, i) => make({ eventId: randomUUID(), stream, seq: state.version + i + 1, timestamp, channelId }));
    const db = documentClient(new DynamoDBClient({ endpoint: sandbox.urls.dynamodb, region: resources.region, credentials: sandboxCredentials }));
    await sandbox.tableStream.unrecorded(async () => {
      for (let i = 0; i < events.length; i += 25) {
        const items = events.slice(i, i + 25).map((e) => ({ PutRequest: { Item: { pk: e.stream, sk: e.seq, eventId: e.eventId, type: e.type, timestamp: e.timestamp, event: JSON.stringify(e) } } }));
        const answer = await db.send(new BatchWriteCommand({ RequestItems: { [resources.eventsTable]: items } }));
        expect(answer.UnprocessedItems?.[resources.eventsTable] ?? []).to.deep.equal([]);
      }
    });
    return events;
  }

  const writeUnits = (counts: Record<string, number>) =>
    sum(counts, "ddb|*|*|*|ok|wcu") + sum(counts, "ddb|*|*|*|ok|wcuIndex") + sum(counts, "ddb|*|*|*|conditionFailed|wcuFailed");

  /** Posts a message alone; its seq and the DynamoDB write units it cost. */
  async function message(channelId: string): Promise<{ seq: number; units: number }> {
    const before = counters.snapshot();
    const answer = await post(sandbox.urls.api, ann.token, { type: "message_sent", channelId, messageId: randomUUID(), text: "hello" }, { "idempotency-key": randomUUID() });
    expect(answer.status).to.equal(202);
    return { seq: answer.body.seq as number, units: writeUnits(diff(counters.snapshot(), before)) };
  }

  /**
   * Units of `count` messages, the first at a multiple of `snapshotEvery` (the messages
   * before it written straight in), so that it writes a snapshot: each window holds one.
   */
  async function unitsWithASnapshot(channelId: string, count: number): Promise<number[]> {
    const { state } = await loadChannel(store, channelId, newChannelStates());
    const toGo = snapshotEvery - 1 - (state.version % snapshotEvery);
    await seed(channelId, toGo, (envelope) => ({ ...envelope, type: "message_sent", userId: ann.userId, messageId: randomUUID(), text: "seeded", position: state.messageCount + envelope.seq - state.version - 1 }) as MessageSent);
    await catchUpChannel(channelId, { store, views: await currentViews(views, "channel") });
    const units: number[] = [];
    for (let i = 0; i < count; i++) {
      const { seq, units: used } = await message(channelId);
      if (i === 0) expect((await store.readSnapshot(channelStream(channelId)))?.version, "a snapshot in the window").to.equal(seq);
      units.push(used);
    }
    return units;
  }

  before(async () => {
    sandbox = await startTestSandbox();
    proxy = await startProxy(sandbox.urls.dynamodb, new DynamoMeter(counters, {}));
    // The handlers run in this process and build their clients for the endpoints they find.
    restoreEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.url;
    store = new DynamoEventStore(documentClient(new DynamoDBClient({ endpoint: sandbox.urls.dynamodb, region: resources.region, credentials: sandboxCredentials })), () => resources.eventsTable);
    views = new S3ViewStore(new S3Client({ endpoint: sandbox.urls.s3, region: resources.region, credentials: sandboxCredentials, forcePathStyle: true }), () => resources.viewsBucket);
    ann = await signUp(sandbox.urls.cognito, sandbox.clientId, "Ann");
    for (const name of ["big", "small"] as const) {
      const created = await post(sandbox.urls.api, ann.token, { type: "channel_created", name: `${name}-${randomUUID().slice(0, 8)}` });
      channels[name] = (created.body.stream as string).slice("channel-".length);
    }
    await sandbox.bus.idle();
    await seedJoins(channels.big, bigMembers);
    await seedJoins(channels.small, 1);
  });

  after(async () => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = restoreEndpoint;
    await proxy?.stop();
    await disposeTestSandbox(sandbox);
  });

  it(`takes messages for the write units a two-member channel takes: no member set rewritten with its snapshots (${bigMembers} members)`, async () => {
    // The first snapshot after seeding stores each member set apart; the windows measured write the next ones.
    for (const channelId of [channels.small, channels.big]) await unitsWithASnapshot(channelId, 1);
    const window = 32;
    const small = await unitsWithASnapshot(channels.small, window);
    const big = await unitsWithASnapshot(channels.big, window);
    const total = (units: number[]) => units.reduce((a, b) => a + b, 0);
    if (process.env.BIG_CHANNEL_UNITS) console.log(JSON.stringify({ big, small }));
    expect(total(small)).to.be.greaterThan(window);
    // A DynamoDB unit is a kilobyte: the member set alone is ~200 units.
    expect(Math.max(...big), JSON.stringify(big)).to.be.at.most(Math.max(...small) + 1);
    expect(total(big), JSON.stringify({ big, small })).to.be.at.most(total(small) + 2);
  });

  it("keeps its head small, leaves its members document alone when messages come, and answers its head with every member", async () => {
    await sandbox.bus.idle();
    const channel = await currentViews(views, "channel");
    const members = await channel.get<{ members: string[] }>(viewKeys.members(channels.big));
    expect(members?.doc.members).to.have.length(bigMembers + 1);
    for (let i = 0; i < 3; i++) await message(channels.big);
    await sandbox.bus.idle();
    const head = await channel.get<StoredHead>(viewKeys.head(channels.big));
    // The open page (at most 50 messages) and the latest activity; the members document is ~195 KB.
    expect(head?.body.length, "no member list inside").to.be.lessThan(24 * 1024);
    expect((await channel.get(viewKeys.members(channels.big)))?.etag, "not rewritten").to.equal(members?.etag);
    const answer = await view(sandbox.urls.api, ann.token, `channels/${channels.big}`);
    expect(answer.status).to.equal(200);
    expect(Object.keys(answer.body)).to.deep.equal(["channelId", "kind", "name", "topic", "private", "createdBy", "createdAt", "members", "lastSeq", "messageCount", "pageSize", "pageCount", "activity"]);
    expect(answer.body.members).to.have.length(bigMembers + 1);
    expect(answer.body.members[0]).to.equal(ann.userId);
    expect(answer.body.lastSeq).to.equal(head?.doc.lastSeq);
  });
});
