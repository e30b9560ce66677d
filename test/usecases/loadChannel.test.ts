/**
 * The channel's decide-state as the store and notify load it: kept warm per container
 * (bounded), always read on from the store, and snapshotted when a load had to read
 * (and at every `snapshotEvery` seqs), with the member set written only when it changed.
 */
import { expect } from "chai";
import { foldChannel, initialChannelState } from "../../functions/domain/channel/state";
import { channelStream, type ChannelEvent, type EventInput } from "../../functions/domain/events";
import { appendEvent, type AppendResult } from "../../functions/usecases/appendEvent";
import { BoundedCache } from "../../functions/usecases/boundedCache";
import { channelStates, keptStateReach, loadChannel, newChannelStates, snapshotAfterBytes, snapshotAfterReading, snapshotEvery } from "../../functions/usecases/loadChannel";
import { ChannelHistory, channelIds } from "../support/domainFixtures";
import { memoryAdapters, MemoryEventStore } from "../support/memoryPorts";

const channelId = "44444444-4444-4444-8444-444444444444";
const stream = channelStream(channelId);
const ann = "user-ann";
const otherChannel = "55555555-5555-4555-8555-555555555555";

type Deps = ReturnType<typeof memoryAdapters>;
let sent = 0;
const send = async (deps: Deps, userId: string, input: EventInput): Promise<number> => {
  const result: AppendResult = await appendEvent({ input, userId }, deps);
  if (result.kind !== "accepted") throw new Error(`expected accepted, got ${JSON.stringify(result)}`);
  return result.accepted.seq;
};
const message = (deps: Deps, userId = ann) => send(deps, userId, { type: "message_sent", channelId, messageId: crypto.randomUUID(), text: `message ${++sent}` });
const join = (deps: Deps, userId: string) => send(deps, userId, { type: "user_joined_channel", channelId });

/** The store's reads and snapshot reads, as a load makes them. */
function counted(store: MemoryEventStore) {
  const calls = { reads: [] as number[], snapshots: 0 };
  const read = store.read.bind(store);
  const readSnapshot = store.readSnapshot.bind(store);
  store.read = (s, afterSeq, limit) => (calls.reads.push(afterSeq), read(s, afterSeq, limit));
  store.readSnapshot = <S>(s: string) => (calls.snapshots++, readSnapshot<S>(s));
  return calls;
}

describe("loading a channel's decide-state", () => {
  it("reads on from the state it keeps, and sees every event another writer appended since", async () => {
    const deps = memoryAdapters();
    await send(deps, ann, { type: "channel_created", channelId, name: "kept" });
    const mine = newChannelStates();
    const first = await loadChannel(deps.store, channelId, mine);
    expect(first.state.version).to.equal(1);

    // Another container (its own kept states) appends; this one's kept state is now behind.
    for (const userId of ["user-ben", "user-cat"]) await join(deps, userId);
    await message(deps, "user-ben");
    const calls = counted(deps.store);
    const loaded = await loadChannel(deps.store, channelId, mine);
    expect(calls, "no snapshot read: only the events after the kept state").to.deep.equal({ reads: [1], snapshots: 0 });
    expect(loaded.state).to.deep.equal(foldChannel(initialChannelState, deps.store.all() as ChannelEvent[]));
    expect(loaded.state.members).to.deep.equal([ann, "user-ben", "user-cat"]);

    const again = counted(deps.store);
    await loadChannel(deps.store, channelId, mine);
    expect(again.reads).to.deep.equal([4]);
  });

  it("keeps the state after its own append: the next load reads only what came after it", async () => {
    const deps = memoryAdapters();
    await send(deps, ann, { type: "channel_created", channelId, name: "own" });
    const seq = await message(deps);
    const calls = counted(deps.store);
    await loadChannel(deps.store, channelId);
    expect(calls).to.deep.equal({ reads: [seq], snapshots: 0 });
    expect(channelStates(deps.store).get(channelId)?.state.messageCount).to.equal(1);
  });

  it("forgets the least recently used states past its bound: a forgotten channel is loaded from the store again", async () => {
    const deps = memoryAdapters();
    const ids = [channelIds.general, channelIds.random, channelIds.secret];
    for (const id of ids) await send(deps, ann, { type: "channel_created", channelId: id, name: `c${id.slice(-1)}` });
    const probe = newChannelStates();
    await loadChannel(deps.store, ids[0]!, probe);
    const states = newChannelStates(2.5 * probe.bytes);
    for (const id of ids) await loadChannel(deps.store, id, states);
    expect(states.size).to.equal(2);
    expect(states.get(ids[0]!), "the oldest went").to.equal(undefined);
    const calls = counted(deps.store);
    await loadChannel(deps.store, ids[0]!, states);
    expect(calls.snapshots).to.equal(1);
    expect(states.get(ids[1]!), "then the next oldest").to.equal(undefined);
  });
});

describe("a bounded cache", () => {
  it("holds at most its bound in weight, evicting the least recently used first", () => {
    const cache = new BoundedCache<string>(10, (v) => v.length);
    cache.set("a", "aaaa");
    cache.set("b", "bbbb");
    expect(cache.get("a")).to.equal("aaaa"); // now "b" is the least recently used
    cache.set("c", "cccc");
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).to.deep.equal(["aaaa", undefined, "cccc"]);
    expect(cache.bytes).to.equal(8);
    cache.set("a", "aaaaaaaa");
    expect([cache.size, cache.bytes]).to.deep.equal([1, 8]);
    cache.set("huge", "x".repeat(11));
    expect(cache.get("huge"), "heavier than the bound: not kept").to.equal(undefined);
    expect(cache.get("a")).to.equal("aaaaaaaa");
  });
});

describe("a kept state far behind the stream", () => {
  it(`is left for the stored snapshot when that is nearer: a load reads at most ${keptStateReach} events past a state kept long ago`, async () => {
    const deps = memoryAdapters();
    await send(deps, ann, { type: "channel_created", channelId, name: "far" });
    const mine = newChannelStates();
    await loadChannel(deps.store, channelId, mine);
    // Other containers take 300 messages; the last one, new to the channel, stores a snapshot.
    while ((await message(deps)) < 300);
    const last = await message({ ...deps, store: Object.create(deps.store) as MemoryEventStore });
    expect((await deps.store.readSnapshot(stream))?.version).to.equal(last);
    const calls = counted(deps.store);
    const loaded = await loadChannel(deps.store, channelId, mine);
    expect(calls).to.deep.equal({ reads: [1, last], snapshots: 1 });
    expect(loaded.state).to.deep.equal(foldChannel(initialChannelState, deps.store.all() as ChannelEvent[]));
  });

  it("is read on from when no nearer snapshot is stored, and its appender stores one: that reading was paid for", async () => {
    const deps = memoryAdapters();
    await send(deps, ann, { type: "channel_created", channelId, name: "far" });
    const old = { ...deps, store: Object.create(deps.store) as MemoryEventStore };
    await message(old);
    while ((await message(deps)) < 300);
    expect(await deps.store.readSnapshot(stream), "warm containers store none").to.equal(undefined);
    const seq = await message(old);
    expect((await deps.store.readSnapshot(stream))?.version).to.equal(seq);
    const cold = await loadChannel(deps.store, channelId, newChannelStates());
    expect(cold.state).to.deep.equal(foldChannel(initialChannelState, deps.store.all() as ChannelEvent[]));
  });
});

describe("the channel's snapshots", () => {
  /** Another container: the same data, none of this one's kept states. */
  const coldContainer = (deps: Deps): Deps => ({ ...deps, store: Object.create(deps.store) as MemoryEventStore });
  const snapshotOf = async (deps: Deps) => (await deps.store.readSnapshot(stream))?.version;

  it(`are written by an appender whose load read ${snapshotAfterReading} events or more, never by a warm one; the member set again only when membership changed`, async () => {
    const deps = memoryAdapters();
    await send(deps, ann, { type: "channel_created", channelId, name: "snapshots" });
    for (const userId of ["user-ben", "user-cat"]) await join(deps, userId);
    while ((await message(deps)) < 3 * snapshotAfterReading);
    expect(await snapshotOf(deps), "a warm container reads one event a load: no snapshot").to.equal(undefined);

    const second = coldContainer(deps);
    const first = await message(second);
    expect(await snapshotOf(deps), "a container new to the channel read them all").to.equal(first);
    for (let i = 0; i < 3; i++) await message(second);
    expect(await snapshotOf(deps)).to.equal(first);
    expect(deps.store.setWrites.get(stream)).to.equal(1);

    await join(deps, "user-dan");
    while ((await message(deps)) < first + snapshotAfterReading + 4);
    const third = coldContainer(deps);
    const next = await message(third);
    expect(await snapshotOf(deps)).to.equal(next);
    expect(deps.store.setWrites.get(stream), "and once more after a join").to.equal(2);

    await message(deps);
    await message(coldContainer(deps));
    expect(await snapshotOf(deps), "a load of fewer events than that writes none").to.equal(next);
    const cold = await loadChannel(deps.store, channelId, newChannelStates());
    expect(cold.snapshotVersion).to.equal(next);
    expect(cold.state).to.deep.equal(foldChannel(initialChannelState, deps.store.all() as ChannelEvent[]));
  });

  it("are written by a warm appender once the events since weigh a megabyte: long messages cannot grow what a load reads", async () => {
    const deps = memoryAdapters();
    await send(deps, ann, { type: "channel_created", channelId, name: "long" });
    const long = "x".repeat(40_000);
    const seqs: number[] = [];
    for (let i = 0; i < 60; i++) seqs.push(await send(deps, ann, { type: "message_sent", channelId, messageId: crypto.randomUUID(), text: long }));
    const snapshot = (await deps.store.readSnapshot(stream))?.version;
    expect(snapshot, "a snapshot within the last 1 MB of events").to.be.at.least(seqs.at(-1)! - Math.ceil(snapshotAfterBytes / long.length));
    expect(snapshot).to.be.at.most(seqs.at(-1)!);
  });

  it(`are written at every ${snapshotEvery}th seq by a warm appender too`, async () => {
    const deps = memoryAdapters();
    const history = new ChannelHistory(channelId);
    history.created(ann);
    history.sentMany(ann, snapshotEvery - 3);
    for (const event of history.events) await deps.store.append(event);
    await loadChannel(deps.store, channelId);
    await deps.store.append(history.sent(ann, "the one before"));
    expect(await message(deps)).to.equal(snapshotEvery);
    expect(await snapshotOf(deps)).to.equal(snapshotEvery);
    await message(deps);
    expect(await snapshotOf(deps)).to.equal(snapshotEvery);
  });

  it("reads a snapshot stored before the members were kept apart, and writes the next one with them apart", async () => {
    const deps = memoryAdapters();
    const history = new ChannelHistory(channelId);
    history.created(ann);
    history.joined("user-ben");
    history.sentMany(ann, 10);
    for (const event of history.events) await deps.store.append(event);
    const { membersSeq: _, ...old } = foldChannel(initialChannelState, history.events);
    await deps.store.writeSnapshot(stream, old.version, old);

    const cold = await loadChannel(deps.store, channelId, newChannelStates());
    expect(cold).to.deep.include({ snapshotVersion: 12 });
    expect(cold.state).to.include({ version: 12, messageCount: 10, membersSeq: 12 });
    expect(cold.state.members).to.deep.equal([ann, "user-ben"]);
    history.sentMany(ann, snapshotAfterReading);
    for (const event of history.events.slice(12)) await deps.store.append(event);
    expect(await message(deps)).to.equal(13 + snapshotAfterReading);
    const next = await deps.store.readSnapshot<Record<string, unknown>>(stream);
    expect(next?.version).to.equal(13 + snapshotAfterReading);
    expect(next?.state).not.to.have.property("members");
    expect(next?.set?.items).to.deep.equal([ann, "user-ben"]);
  });

  it("reads a snapshot stored before DMs (no kind) as a channel's, and keeps a DM's kind through its snapshot", async () => {
    const deps = memoryAdapters();
    const history = new ChannelHistory(channelId);
    history.created(ann);
    history.sentMany(ann, 3);
    for (const event of history.events) await deps.store.append(event);
    const { kind: _, members, ...old } = foldChannel(initialChannelState, history.events);
    await deps.store.writeSnapshot(stream, old.version, old, { version: old.membersSeq, items: members });
    const cold = await loadChannel(deps.store, channelId, newChannelStates());
    expect(cold).to.deep.include({ snapshotVersion: 4 });
    expect(cold.state).to.include({ kind: "channel", version: 4, exists: true });

    const dm = new ChannelHistory(otherChannel);
    dm.dmOpened(ann, ["user-ben"]);
    dm.sentMany(ann, 2);
    for (const event of dm.events) await deps.store.append(event);
    const { members: dmMembers, ...dmState } = foldChannel(initialChannelState, dm.events);
    await deps.store.writeSnapshot(channelStream(otherChannel), dmState.version, dmState, { version: dmState.membersSeq, items: dmMembers });
    const dmLoaded = await loadChannel(deps.store, otherChannel, newChannelStates());
    expect(dmLoaded).to.deep.include({ snapshotVersion: 3 });
    expect(dmLoaded.state).to.include({ kind: "dm", private: true, version: 3 });
    expect(dmLoaded.state.members).to.deep.equal([ann, "user-ben"]);
  });
});
