/**
 * The search index (domain/projections/search.ts) under the query (usecases/search.ts):
 * sealed pages served from immutable segments that merge, changes to them from the
 * overlay or, before the index has them, from the pages' edits; pages the index has not
 * reached yet from the channel's own pages; and what indexing writes.
 */
import { expect } from "chai";
import type { EventInput, StoredEvent } from "../../functions/domain/events";
import { viewKeys } from "../../functions/domain/projections/keys";
import { mergeFanIn, type SearchHead } from "../../functions/domain/projections/search";
import { projectionsFor } from "../../functions/domain/routes";
import { appendEvent } from "../../functions/usecases/appendEvent";
import { project } from "../../functions/usecases/project";
import { search } from "../../functions/usecases/search";
import { memoryAdapters, MemoryViewStore } from "../support/memoryPorts";

const channelId = "aaaaaaaa-0000-4000-8000-000000000001";
const id = (n: number) => `bbbbbbbb-0000-4000-8000-${String(n).padStart(12, "0")}`;
const ann = "u-ann";

async function channelOf(messages: number) {
  const deps = memoryAdapters();
  const accept = async (input: EventInput) => {
    const result = await appendEvent({ input, userId: ann }, deps);
    if (result.kind !== "accepted") throw new Error(`${input.type} refused`);
  };
  await deps.store.append({ type: "user_registered", eventId: deps.newId(), stream: `user-${ann}`, seq: 1, timestamp: deps.now().toISOString(), userId: ann, name: "Ann" });
  await accept({ type: "channel_created", channelId, name: "general", private: false });
  for (let i = 0; i < messages; i++) await accept({ type: "message_sent", channelId, messageId: id(i), text: `report ${i} w${i}x` });
  return { deps, accept };
}

/** Every projection, event by event in order (as live runs would), into `views`. */
async function deliver(events: StoredEvent[], deps: ReturnType<typeof memoryAdapters>, views: MemoryViewStore, which: (p: string) => boolean = () => true) {
  for (const e of events) for (const p of projectionsFor(e.type)) if (which(p)) await project(p, e, { store: deps.store, views });
}

async function all(views: MemoryViewStore, q: string, store: { read: () => Promise<StoredEvent[]> } = { read: async () => [] }) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const answer = await search(ann, q, cursor, { views, store });
    if (answer.kind !== "results") throw new Error(answer.refusal.message);
    const page = JSON.parse(answer.body) as { results: { messageId: string; text: string }[]; cursor?: string };
    ids.push(...page.results.map((r) => r.messageId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

const searchHead = async (views: MemoryViewStore) => (await views.get<SearchHead>(`search/g0/${viewKeys.searchHead(channelId)}`))?.doc;
const dropUnder = (views: MemoryViewStore, prefix: string, except?: (key: string) => boolean) => {
  for (const key of [...views.objects.keys()]) if (key.startsWith(prefix) && !except?.(key)) views.objects.delete(key);
};

describe("the search index", function () {
  this.timeout(120_000);

  it("serves sealed pages from segments that merge eight to one, and the open page from the channel's head", async () => {
    const { deps } = await channelOf(1030);
    const views = new MemoryViewStore();
    await deliver(deps.store.all(), deps, views);
    const head = (await searchHead(views))!;
    expect(head.sealedPages).to.equal(20);
    expect(head.segments.map((s) => s.level)).to.deep.equal([1, 1, 0, 0, 0, 0]);
    expect(head.segments[0]!.count).to.equal(mergeFanIn * 50);
    expect(head.open.map((e) => e.p)).to.deep.equal([1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017, 1018, 1019, 1020, 1021, 1022, 1023, 1024, 1025, 1026, 1027, 1028, 1029]);
    const expected = Array.from({ length: 1030 }, (_, i) => id(1029 - i));
    expect(await all(views, "report")).to.deep.equal(expected);
    expect(await all(views, "w1017x")).to.deep.equal([id(1017)], "on the open page");
    expect(await all(views, "w17x")).to.deep.equal([id(17)], "in a merged segment");
    // Without the channel's sealed pages, the segments alone still answer.
    dropUnder(views, "channel/g0/channels/", (k) => k.endsWith("head.json"));
    expect(await all(views, "report")).to.deep.equal(expected);
    expect(await all(views, "w999x")).to.deep.equal([id(999)]);
  });

  it("reads the sealed pages the index has not reached from the channel's own pages", async () => {
    const { deps } = await channelOf(130);
    const views = new MemoryViewStore();
    await deliver(deps.store.all(), deps, views, (p) => p !== "search");
    expect(await searchHead(views)).to.equal(undefined);
    expect(await all(views, "report")).to.deep.equal(Array.from({ length: 130 }, (_, i) => id(129 - i)));
    expect(await all(views, "w42x")).to.deep.equal([id(42)]);
  });

  it("finds an old message by its new text only, and never once deleted: before the index has the change, and after", async () => {
    const { deps, accept } = await channelOf(300);
    const views = new MemoryViewStore();
    await deliver(deps.store.all(), deps, views);
    const before = deps.store.all().length;
    await accept({ type: "message_edited", channelId, messageId: id(7), text: "renamed to lighthouse" });
    await accept({ type: "message_deleted", channelId, messageId: id(8) });
    const changes = deps.store.all().slice(before);
    await deliver(changes, deps, views, (p) => p !== "search");
    expect(await all(views, "w7x")).to.deep.equal([]);
    expect(await all(views, "lighthouse")).to.deep.equal([], "the index has not folded the edit: its words are not in it yet");
    expect(await all(views, "w8x")).to.deep.equal([]);
    await deliver(changes, deps, views, (p) => p === "search");
    expect(Object.keys((await searchHead(views))!.overlay)).to.have.members([id(7), id(8)]);
    expect(await all(views, "lighthouse")).to.deep.equal([id(7)]);
    expect(await all(views, "w7x")).to.deep.equal([]);
    expect(await all(views, "w8x")).to.deep.equal([]);
    // The overlay folds into the segment when it merges, and leaves the overlay.
    for (let i = 300; i < 460; i++) await accept({ type: "message_sent", channelId, messageId: id(i), text: `report ${i}` });
    await deliver(deps.store.all().slice(before + 2), deps, views);
    const head = (await searchHead(views))!;
    expect(head.segments[0]!.level).to.equal(1);
    expect(head.overlay).to.deep.equal({});
    expect(await all(views, "lighthouse")).to.deep.equal([id(7)]);
    expect(await all(views, "w8x")).to.deep.equal([]);
  });

  it("rewrites the segments an overgrown overlay changes, so the index head stays small", async () => {
    const { deps, accept } = await channelOf(300);
    const views = new MemoryViewStore();
    await deliver(deps.store.all(), deps, views);
    const before = (await searchHead(views))!;
    const long = (word: string) => `${word} ${"filler ".repeat(4000)}`;
    const seen = deps.store.all().length;
    await accept({ type: "message_edited", channelId, messageId: id(3), text: long("alpha") });
    await accept({ type: "message_edited", channelId, messageId: id(120), text: long("beta") });
    await accept({ type: "message_deleted", channelId, messageId: id(121) });
    await deliver(deps.store.all().slice(seen), deps, views);
    expect(Object.keys((await searchHead(views))!.overlay), "under the limit: kept in the overlay").to.have.length(3);
    const more = deps.store.all().length;
    await accept({ type: "message_edited", channelId, messageId: id(200), text: long("gamma") });
    await deliver(deps.store.all().slice(more), deps, views);
    const after = (await searchHead(views))!;
    expect(after.overlay).to.deep.equal({});
    const changed = after.segments.filter((s, i) => s.key !== before.segments[i]!.key).map((s) => s.key.split("/").pop()!.split(".")[0]);
    expect(changed, "the segments of pages 0, 2 and 4, rewritten").to.deep.equal(["p0", "p2", "p4"]);
    expect(after.segments.find((s) => s.key.includes("/p2."))!.count).to.equal(49);
    expect(await all(views, "alpha")).to.deep.equal([id(3)]);
    expect(await all(views, "gamma")).to.deep.equal([id(200)]);
    expect(await all(views, "w3x")).to.deep.equal([]);
    expect(await all(views, "w121x")).to.deep.equal([]);
  });

  it("writes once for a burst of replies: each run leaves its write to a later reply's run", async () => {
    const { deps, accept } = await channelOf(10);
    const views = new MemoryViewStore();
    await deliver(deps.store.all(), deps, views);
    const seen = deps.store.all().length;
    for (let i = 0; i < 40; i++) await accept({ type: "message_sent", channelId, messageId: id(100 + i), text: `answer ${i}`, threadId: id(i % 10) });
    const burst = deps.store.all().slice(seen);
    const puts = views.puts;
    // The runs of a burst: all events in the store already, their clock at the first one.
    const early = () => new Date(burst[0]!.timestamp);
    for (const e of burst) await project("search", e, { store: deps.store, views, now: early, wait: async () => undefined });
    expect(views.puts - puts).to.equal(1);
    expect(await all(views, "answer")).to.have.length(40);
  });

  it("writes about two documents per sealed page while messages come one at a time, and one per reply", async () => {
    const { deps, accept } = await channelOf(0);
    const views = new MemoryViewStore();
    await deliver(deps.store.all(), deps, views);
    const searchPuts = () => [...views.objects.keys()].filter((k) => k.startsWith("search/")).length;
    let puts = 0;
    const counting = Object.assign(Object.create(views) as MemoryViewStore, {
      put: async (key: string, body: string, condition: Parameters<MemoryViewStore["put"]>[2], meta?: Record<string, string>) => {
        if (key.startsWith("search/")) puts++;
        return views.put(key, body, condition, meta);
      },
    });
    for (let i = 0; i < 1000; i++) {
      const seen = deps.store.all().length;
      await accept({ type: "message_sent", channelId, messageId: id(i), text: `hello ${i}` });
      await deliver(deps.store.all().slice(seen), deps, counting);
    }
    expect(searchPuts()).to.be.greaterThan(0);
    expect(puts / 1000, "S3 PUTs per message").to.be.below(0.05);
    const seen = deps.store.all().length;
    await accept({ type: "message_sent", channelId, messageId: id(5000), text: "a reply", threadId: id(999) });
    const before = puts;
    await deliver(deps.store.all().slice(seen), deps, counting);
    expect(puts - before).to.equal(1);
    expect(await all(views, "reply")).to.deep.equal([id(5000)]);
    // Long replies make a segment of their own before they make the head big.
    for (let i = 1; i <= 6; i++) await accept({ type: "message_sent", channelId, messageId: id(5000 + i), text: `long ${"reply ".repeat(5000)}`, threadId: id(999) });
    await deliver(deps.store.all().slice(seen + 1), deps, counting);
    const head = (await searchHead(views))!;
    expect(head.replies.length, "replies left in the head").to.be.below(6);
    expect(head.segments.some((s) => s.key.includes("/r"))).to.equal(true);
    expect(await all(views, "long")).to.have.length(6);
  });
});
