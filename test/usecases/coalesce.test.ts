/**
 * Coalescing live runs: a run leaves its write to a later event's run while that run is
 * coming, the last run of a burst applies the whole burst in one commit, and a steady
 * stream is still written, by every `flushEvery`-th run, once its oldest unapplied event
 * is `maxDeferMs` old.
 */
import { expect } from "chai";
import type { StoredEvent } from "../../functions/domain/events";
import { viewKeys } from "../../functions/domain/projections/keys";
import { deferToLaterRun, flushEvery, gatherMs, hotGapMs, maxDeferMs } from "../../functions/usecases/coalesce";
import { catchUpChannel, catchUpDirectory, projectInto } from "../../functions/usecases/project";
import { catchUpMentions, checkpointEvery, NamesNotYetKnown } from "../../functions/usecases/projectMentions";
import { ChannelHistory, channelIds, messageId, registered } from "../support/domainFixtures";
import { MemoryEventStore, MemoryViewStore } from "../support/memoryPorts";

const at = (event: StoredEvent, ms: number) => () => new Date(Date.parse(event.timestamp) + ms);

async function storeOf(events: readonly StoredEvent[]) {
  const store = new MemoryEventStore();
  for (const event of events) await store.append(event);
  return store;
}

/** The fixture's clock is a second per event: a burst's events come 10 ms apart. */
const inBurst = <E extends StoredEvent>(events: E[]): E[] =>
  events.map((e, i) => ({ ...e, timestamp: new Date(Date.parse(events[0]!.timestamp) + 10 * i).toISOString() }));

describe("coalescing live runs", () => {
  const history = new ChannelHistory();
  const [created, ...burst] = inBurst([history.created("u-ann"), ...history.sentMany("u-ann", 3)]) as [StoredEvent, ...StoredEvent[]];
  const joined = history.joined("u-ben");
  const last = burst.at(-1)!;

  it("defers only to a later event the projection receives, while the oldest pending event is young", () => {
    const now = Date.parse(burst[0]!.timestamp) + 10;
    expect(deferToLaterRun(burst, burst[0]!.seq, ["message_sent"], now)).to.equal(true);
    expect(deferToLaterRun(burst, last.seq, ["message_sent"], now), "nothing later").to.equal(false);
    expect(deferToLaterRun([...burst, joined], last.seq, ["message_sent"], now), "the later event is not routed here").to.equal(false);
    const due = now - 10 + maxDeferMs;
    const long = inBurst(new ChannelHistory().sentMany("u-ann", 2 * flushEvery));
    expect(long.map((e) => deferToLaterRun(long, e.seq, ["message_sent"], Date.parse(long[0]!.timestamp) + maxDeferMs)), "the oldest is due: every flushEvery-th, and the last, write")
      .to.deep.equal(long.map((_, i) => !((i + 1) % flushEvery === 0 || i === long.length - 1)));
    expect(deferToLaterRun(burst, burst[0]!.seq, ["message_sent"], due), "due, not its turn").to.equal(true);
    expect(deferToLaterRun([], 1, ["message_sent"], now)).to.equal(false);
  });

  it("writes a burst once: the earlier runs write nothing, the last run applies every event", async () => {
    const store = await storeOf([created]);
    const views = new MemoryViewStore();
    const soon = at(last, 5);
    await catchUpChannel(history.channelId, { store, views, now: soon }, created.seq);
    expect(views.puts, "nothing later had arrived when the first run read").to.be.greaterThan(0);
    const afterCreated = views.puts;
    for (const event of burst) await store.append(event);

    for (const event of burst.slice(0, -1)) await catchUpChannel(history.channelId, { store, views, now: soon }, event.seq);
    expect(views.puts, "runs with a later event coming defer").to.equal(afterCreated);

    await catchUpChannel(history.channelId, { store, views, now: soon }, last.seq);
    expect(views.puts - afterCreated, "one head, the open page inside it, for the whole burst").to.equal(1);
    expect((await views.get<{ lastSeq: number }>(viewKeys.head(history.channelId)))?.doc.lastSeq).to.equal(last.seq);
  });

  it("once the oldest event the views lack is maxDeferMs old, every flushEvery-th run writes, the others still defer", async () => {
    const steady = new ChannelHistory(channelIds.random);
    const events = [steady.created("u-ann"), ...steady.sentMany("u-ann", flushEvery + 2)];
    const store = await storeOf(events);
    const views = new MemoryViewStore();
    const overdue = at(events[0]!, maxDeferMs + 60_000);
    for (const event of events.slice(0, flushEvery - 1)) await catchUpChannel(steady.channelId, { store, views, now: overdue }, event.seq);
    expect(views.puts, "not their turn").to.equal(0);
    await catchUpChannel(steady.channelId, { store, views, now: overdue }, events[flushEvery - 1]!.seq);
    expect(views.puts).to.equal(1);
    expect((await views.get<{ lastSeq: number }>(viewKeys.head(steady.channelId)))?.doc.lastSeq, "caught up through the whole tail").to.equal(events.at(-1)!.seq);
  });

  it("never defers outside a live run: a rebuild's catch-up writes", async () => {
    const store = await storeOf([created, ...burst]);
    const views = new MemoryViewStore();
    await catchUpChannel(history.channelId, { store, views, now: at(created, 1) });
    expect((await views.get<{ lastSeq: number }>(viewKeys.head(history.channelId)))?.doc.lastSeq).to.equal(last.seq);
  });
});

describe("gathering in a busy stream", () => {
  const history = new ChannelHistory(channelIds.secret);
  const [created, first, follower] = inBurst([history.created("u-ann"), history.sent("u-ann", messageId(1)), history.sent("u-ann", messageId(2))]);

  it("waits once for followers when the event before its own came less than hotGapMs earlier, and leaves the write to a follower that came", async () => {
    const store = await storeOf([created!, first!]);
    const views = new MemoryViewStore();
    const waits: number[] = [];
    const wait = async (ms: number) => {
      waits.push(ms);
      if (waits.length === 1) await store.append(follower!); // a follower arrives while the first run waits
    };
    const soon = at(follower!, 5);
    await catchUpChannel(history.channelId, { store, views, now: soon, wait }, first!.seq);
    expect(waits).to.deep.equal([gatherMs]);
    expect(views.puts, "the follower's run will write").to.equal(0);

    await catchUpChannel(history.channelId, { store, views, now: soon, wait }, follower!.seq);
    expect(waits, "the follower's run waited once too, found no one, and wrote").to.have.length(2);
    expect(views.puts).to.equal(1);
    expect((await views.get<{ lastSeq: number }>(viewKeys.head(history.channelId)))?.doc.lastSeq).to.equal(follower!.seq);
  });

  it("does not wait in a quiet stream, nor in a rebuild", async () => {
    const quiet = new ChannelHistory(channelIds.general);
    const events = [quiet.created("u-ann"), quiet.sent("u-ann", messageId(3))]; // the fixture's events are a second apart
    expect(Date.parse(events[1]!.timestamp) - Date.parse(events[0]!.timestamp)).to.be.at.least(hotGapMs);
    const store = await storeOf(events);
    const views = new MemoryViewStore();
    const waits: number[] = [];
    const wait = async (ms: number) => void waits.push(ms);
    await catchUpChannel(quiet.channelId, { store, views, now: at(events[1]!, 5), wait }, events[1]!.seq);
    const busy = await storeOf([created!, first!]);
    await catchUpChannel(history.channelId, { store: busy, views: new MemoryViewStore(), now: at(first!, 5), wait });
    expect(waits).to.deep.equal([]);
    expect(views.puts).to.equal(1);
  });
});

describe("the directory's runs", () => {
  it("write at once, never leaving their event to a later delivery that may fail", async () => {
    const history = new ChannelHistory(channelIds.random);
    const [created, joined, alsoJoined] = inBurst([history.created("u-ann"), history.joined("u-ben"), history.joined("u-cat")]);
    const store = await storeOf([created!, joined!, alsoJoined!]);
    const views = new MemoryViewStore();
    const soon = at(alsoJoined!, 5);
    // The last join's delivery never comes (dead-lettered): the earlier runs must not have waited for it.
    await catchUpDirectory(history.channelId, { store, views, now: soon }, created!.seq);
    const entry = await views.get<{ memberCount: number; lastSeq: number }>(viewKeys.entry(history.channelId));
    expect(entry?.doc).to.include({ memberCount: 3, lastSeq: alsoJoined!.seq });
    expect((await views.get<{ channels: unknown[] }>(viewKeys.listing()))?.doc.channels).to.deep.equal([{ channelId: history.channelId, private: false }]);
  });

  it("never write a document that another channel writes, except the listing when a channel is created", async () => {
    const store = new MemoryEventStore();
    const views = new MemoryViewStore();
    const written = new Map<string, number>();
    const put = views.put.bind(views);
    views.put = async (key, body, condition, meta) => {
      const outcome = await put(key, body, condition, meta);
      if (outcome === "ok") written.set(key, (written.get(key) ?? 0) + 1);
      return outcome;
    };
    const channels = [new ChannelHistory(channelIds.general), new ChannelHistory(channelIds.random)];
    for (const h of channels) {
      h.created("u-ann");
      h.sentMany("u-ann", 5);
      h.joined("u-ben");
      h.sentMany("u-ben", 5, 10);
    }
    for (const event of channels.flatMap((h) => h.events)) await store.append(event);
    await Promise.all(channels.flatMap((h) => h.events.map((e) => catchUpDirectory(h.channelId, { store, views }, e.seq))));
    expect(written.get(viewKeys.listing())).to.equal(2);
    for (const [key] of written) if (key !== viewKeys.listing()) expect(channels.filter((h) => key.includes(h.channelId)), key).to.have.length(1);
  });
});

describe("the mentions checkpoint", () => {
  const stream = `channel-${channelIds.general}`;

  it("is not written for messages that mention nobody, until checkpointEvery of them", async () => {
    const history = new ChannelHistory();
    const events = [history.created("u-ann"), ...history.sentMany("u-ann", checkpointEvery + 5)];
    const store = await storeOf(events);
    const views = new MemoryViewStore();

    await catchUpMentions(history.channelId, { store, views }, 1);
    expect(views.puts, "no mention among the first events, but more than checkpointEvery of them").to.equal(1);
    expect((await views.get<{ lastSeq: number }>(viewKeys.checkpoint(stream)))?.doc.lastSeq).to.equal(events.at(-1)!.seq);

    const next = history.sent("u-ann", messageId(999), "no one named here");
    await store.append(next);
    await catchUpMentions(history.channelId, { store, views }, next.seq);
    expect(views.puts, "a message without mentions costs no write").to.equal(1);
  });

  it("finds a mention whose name arrived after a later message's run found nothing", async () => {
    const history = new ChannelHistory();
    const ben = registered("u-ben", "Ben");
    const [created, joined, mention, after] = inBurst([history.created("u-ann"), history.joined("u-ben"), history.sent("u-ann", messageId(1), "hi @ben"), history.sent("u-ann", messageId(2), "ok")]);
    const store = await storeOf([ben, created!, joined!, mention!, after!]);
    const views = new MemoryViewStore();
    const soon = at(after!, 5);
    // Ben's name is not in the index yet: the run stops before the message (its delivery is retried).
    const early = await projectInto("mentions", after!, { store, views, now: soon }).then(() => undefined, (e: unknown) => e);
    expect(early).to.be.instanceOf(NamesNotYetKnown);
    await projectInto("mentions", ben, { store, views, now: soon });
    await projectInto("mentions", mention!, { store, views, now: soon }); // a later message is in the store: it must not leave the work to it
    const mentions = await views.get<{ mentions: { messageId: string }[] }>(viewKeys.mentions("u-ben"));
    expect(mentions?.doc.mentions.map((m) => m.messageId)).to.deep.equal([messageId(1)]);
  });

  it("is written with the mention it records, and a re-run changes nothing", async () => {
    const history = new ChannelHistory();
    const ben = registered("u-ben", "Ben");
    const events = [history.created("u-ann"), history.joined("u-ben"), history.sent("u-ann", messageId(1), "plain"), history.sent("u-ann", messageId(2), "hi @ben")];
    const store = await storeOf([ben, ...events]);
    const views = new MemoryViewStore();
    await projectInto("mentions", ben, { store, views });

    await catchUpMentions(history.channelId, { store, views }, events.at(-1)!.seq);
    const mentions = await views.get<{ mentions: { messageId: string }[] }>(viewKeys.mentions("u-ben"));
    expect(mentions?.doc.mentions.map((m) => m.messageId)).to.deep.equal([messageId(2)]);
    expect((await views.get<{ lastSeq: number }>(viewKeys.checkpoint(stream)))?.doc.lastSeq).to.equal(events.at(-1)!.seq);

    const puts = views.puts;
    await catchUpMentions(history.channelId, { store, views });
    expect(views.puts).to.equal(puts);
  });
});
