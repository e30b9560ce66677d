/**
 * Property: for any valid history, the views from delivering its events in order equal the
 * views from delivering them shuffled, duplicated and concurrently (as EventBridge and
 * Lambda may) with runs leaving their writes to later events' runs, and equal the views
 * rebuilt from the store alone; and the channel and user views equal an independent model
 * of the accepted commands (test/support/chatModel.ts), so a fold bug that every order
 * shares does not pass either.
 */
import { expect } from "chai";
import fc from "fast-check";
import { type EventInput, type StoredEvent, threadOf } from "../../functions/domain/events";
import { dmChannelId } from "../../functions/domain/channel/dmChannelId";
import { pageSize } from "../../functions/domain/projections/channel";
import { viewKeys } from "../../functions/domain/projections/keys";
import { threadPageSize } from "../../functions/domain/projections/thread";
import { type ProjectionName, projectionsFor } from "../../functions/domain/routes";
import type { ViewStore } from "../../functions/ports";
import { appendEvent } from "../../functions/usecases/appendEvent";
import { project } from "../../functions/usecases/project";
import { readView } from "../../functions/usecases/readView";
import { search } from "../../functions/usecases/search";
import { words } from "../../functions/domain/search/words";
import { ChatModel } from "../support/chatModel";
import { memoryAdapters, MemoryViewStore } from "../support/memoryPorts";

const users = ["u-ann", "u-ben", "u-cat"];
/** Two channels, then two DMs (Ann and Ben's; the three's), which messages go to as to the channels. */
const dmSets = [users.slice(0, 2), users];
const channels = ["aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002", ...dmSets.map(dmChannelId)];
const messageIds = Array.from({ length: 2000 }, (_, i) => `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, "0")}`);

/** Some texts name another user, so the mentions projection has work to do. */
const text = fc.oneof({ weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) }, { weight: 1, arbitrary: fc.constantFrom("@u-ann hi", "@u-ben", "ask @u-cat") });
/** Most edits and deletions target one of the user's own recent messages in the channel (`recent` back); the rest, any id. */
/** Where a message goes: mostly a channel (so pages fill and seal), sometimes a DM. */
const toward = fc.oneof({ weight: 5, arbitrary: fc.nat(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) });
const recent = fc.option(fc.nat(30), { nil: undefined, freq: 5 });
const emoji = fc.constantFrom("tada", "+1", "e-mail");
const command = fc.oneof(
  { weight: 2, arbitrary: fc.record({ type: fc.constant("channel_created" as const), c: fc.nat(1), priv: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant("user_joined_channel" as const), c: fc.nat(1), other: fc.option(fc.nat(2), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("user_left_channel" as const), c: fc.nat(1), other: fc.option(fc.nat(2), { nil: undefined, freq: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("channel_renamed" as const), c: fc.nat(1), n: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("channel_topic_set" as const), c: fc.nat(1), n: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("user_renamed" as const), c: fc.nat(1), n: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("dm_opened" as const), c: fc.nat(1), d: fc.nat(1) }) },
  { weight: 16, arbitrary: fc.record({ type: fc.constant("message_sent" as const), c: toward, m: fc.nat(1999), text }) },
  // Replies answer anyone's recent message in the channel (a reply, now and then: refused).
  { weight: 6, arbitrary: fc.record({ type: fc.constant("message_sent" as const), c: toward, m: fc.nat(1999), text, reply: fc.nat(30) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("message_edited" as const), c: toward, m: fc.nat(1999), recent, text }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("message_deleted" as const), c: toward, m: fc.nat(1999), recent }) },
  // Reactions target anyone's recent message in the channel or DM; few emoji, so people meet on them and take them back.
  { weight: 6, arbitrary: fc.record({ type: fc.constant("reaction_added" as const), c: toward, m: fc.nat(1999), recent, emoji }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant("reaction_removed" as const), c: toward, m: fc.nat(1999), recent, emoji }) },
);
const step = fc.record({ user: fc.nat(2), command });

// biome-ignore: the generated command is a tagged record
function toInput(cmd: any, own: readonly string[] = [], anyones: readonly string[] = []): EventInput {
  const channelId = channels[cmd.c]!;
  const pick = (ids: readonly string[]) => (cmd.recent === undefined || ids.length === 0 ? messageIds[cmd.m]! : ids[ids.length - 1 - (cmd.recent % ids.length)]!);
  const target = pick(own);
  switch (cmd.type) {
    case "channel_created":
      return { type: cmd.type, channelId, name: `chan-${cmd.c}`, private: cmd.priv };
    case "user_joined_channel":
      return { type: cmd.type, channelId, ...(cmd.other === undefined ? {} : { memberId: users[cmd.other] }) };
    case "user_left_channel":
      return { type: cmd.type, channelId, ...(cmd.other === undefined ? {} : { memberId: users[cmd.other] }) };
    case "channel_renamed":
      return { type: cmd.type, channelId, name: `chan-${cmd.n}` };
    case "channel_topic_set":
      return { type: cmd.type, channelId, topic: `topic ${cmd.n}` };
    case "dm_opened":
      // The set's other people (a user outside the set opens the set with them in it).
      return { type: cmd.type, memberIds: dmSets[cmd.d]!.filter((u) => u !== cmd.user) };
    case "user_renamed":
      // Names no text mentions: which messages a name reaches does not hang on when the rename is delivered.
      return { type: cmd.type, name: `Person ${cmd.n}` };
    case "message_deleted":
      return { type: cmd.type, channelId, messageId: target };
    case "message_edited":
      return { type: cmd.type, channelId, messageId: target, text: `x${cmd.text}`.trim() };
    case "reaction_added":
    case "reaction_removed":
      return { type: cmd.type, channelId, messageId: pick(anyones), emoji: cmd.emoji };
    default: {
      const threadId = cmd.reply === undefined || anyones.length === 0 ? undefined : anyones[anyones.length - 1 - (cmd.reply % anyones.length)];
      return { type: cmd.type, channelId, messageId: messageIds[cmd.m]!, text: `x${cmd.text}`.trim(), ...(threadId === undefined ? {} : { threadId }) };
    }
  }
}

async function history(steps: { user: number; command: unknown }[]) {
  const deps = memoryAdapters();
  const model = new ChatModel();
  for (const user of users) {
    await deps.store.append({ type: "user_registered", eventId: deps.newId(), stream: `user-${user}`, seq: 1, timestamp: deps.now().toISOString(), userId: user, name: user.toUpperCase() });
    model.registered(user, user.toUpperCase());
  }
  const sent = new Map<string, string[]>(); // per channel and author: the ids of accepted messages
  for (const s of steps) {
    const userId = users[s.user]!;
    const own = (channelId: string) => sent.get(`${channelId}|${userId}`) ?? [];
    const anyones = (channelId: string) => sent.get(channelId) ?? [];
    const channelId = channels[(s.command as { c: number }).c]!;
    const input = toInput({ ...(s.command as object), user: userId }, own(channelId), anyones(channelId));
    const result = await appendEvent({ input, userId }, deps);
    if (result.kind !== "accepted") continue;
    model.accepted(input, userId, result.accepted);
    if (input.type === "message_sent") {
      sent.set(`${input.channelId}|${userId}`, [...own(input.channelId), input.messageId]);
      sent.set(input.channelId, [...anyones(input.channelId), input.messageId]);
    }
  }
  return Object.assign(deps, { model });
}

/**
 * The channel and user views as readers get them (readView), against the model. Private
 * channels are read through a lens that shows their heads as public (a channel everyone
 * left has nobody who may read it); the stored flag is compared on its own.
 */
async function expectModel(root: MemoryViewStore, model: ChatModel) {
  const read = async (path: string, userId: string, views: Pick<ViewStore, "get" | "meta"> = root) => {
    const found = await readView(path, userId, views);
    if (found.kind !== "view") throw new Error(`${path}: ${found.refusal.status} ${found.refusal.code}`);
    return JSON.parse(found.body) as unknown;
  };
  const anyone: Pick<ViewStore, "get" | "meta"> = {
    get: async <T>(key: string) => {
      const found = await root.get<T & { private?: boolean }>(key);
      if (!found || !key.endsWith("/head.json")) return found;
      const doc = { ...found.doc, private: false };
      return { ...found, doc, body: JSON.stringify(doc) };
    },
    meta: (key: string) => root.meta(key),
  };
  for (const channelId of model.channelIds()) {
    const expected = model.head(channelId, pageSize);
    const stored = await root.get<{ private: boolean }>(`channel/g0/${viewKeys.head(channelId)}`);
    expect(stored?.doc.private, `${channelId} private`).to.equal(expected.private);
    expect(await read(`channels/${channelId}`, "u-ann", anyone), `head of ${channelId}`).to.deep.equal({ ...expected, private: false });
    for (const page of model.pages(channelId, pageSize)) {
      expect(await read(`channels/${channelId}/pages/${page.page}`, "u-ann", anyone), `page ${page.page} of ${channelId}`).to.deep.equal(page);
    }
    for (const thread of model.threads(channelId, threadPageSize)) {
      const at = `channels/${channelId}/threads/${thread.threadId}`;
      expect(await read(at, "u-ann", anyone), `thread ${thread.threadId}`).to.deep.equal(thread.head);
      for (const page of thread.pages) expect(await read(`${at}/pages/${page.page}`, "u-ann", anyone), `${at} page ${page.page}`).to.deep.equal(page);
    }
  }
  for (const userId of model.userIds()) expect(await read("users/me", userId), `users/me of ${userId}`).to.deep.equal(model.me(userId));
  await expectSearchModel(root, model);
  expect(await read("users", "u-ann")).to.deep.equal(model.users());
}

/** Search (CONTRACT §12) finds, page by page, every message each user may read (an empty query), and by a word's beginning. */
async function expectSearchModel(root: MemoryViewStore, model: ChatModel) {
  const newestFirst = (a: { sentAt: string; channelId: string; seq: number }, b: typeof a) =>
    a.sentAt !== b.sentAt ? (a.sentAt < b.sentAt ? 1 : -1) : a.channelId !== b.channelId ? (a.channelId < b.channelId ? 1 : -1) : b.seq - a.seq;
  for (const userId of model.userIds()) {
    for (const q of ["", "xa"]) {
      const results: unknown[] = [];
      let cursor: string | undefined;
      do {
        const answer = await search(userId, q, cursor, { views: root, store: { read: async () => [] } });
        if (answer.kind !== "results") throw new Error(`search ${q}: ${answer.refusal.message}`);
        const page = JSON.parse(answer.body) as { results: unknown[]; cursor?: string };
        results.push(...page.results);
        cursor = page.cursor;
      } while (cursor);
      const expected = model.readable(userId).filter((m) => q === "" || words(m.text).some((w) => w.startsWith(q)));
      expect(results, `search "${q}" by ${userId}`).to.deep.equal(expected.sort(newestFirst));
    }
  }
}

const partition = <T>(items: T[], test: (item: T) => boolean): [T[], T[]] => [items.filter(test), items.filter((i) => !test(i))];
const deliveries = (events: StoredEvent[]) => events.flatMap((e) => projectionsFor(e.type).map((p) => ({ p, e })));

async function deliverInOrder(events: StoredEvent[], deps: ReturnType<typeof memoryAdapters>) {
  const views = new MemoryViewStore();
  for (const { p, e } of deliveries(events)) await project(p, e, { store: deps.store, views });
  return views;
}

describe("projections under at-least-once, unordered, concurrent delivery", function () {
  this.timeout(120_000);

  it("yield the views a plain model of the accepted commands predicts, the same as in-order delivery and as a rebuild from the store", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 200, maxLength: 800 }), fc.infiniteStream(fc.nat(1000)), async (steps, noise) => {
        const deps = await history(steps);
        const events = deps.store.all().sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
        const inOrder = await deliverInOrder(events, deps);

        const chaotic = new MemoryViewStore();
        // Names are delivered first: a mention of someone whose registration the mentions
        // projection has not seen yet is the one order-dependence it has (README, mentions).
        const [names, rest] = partition(deliveries(events), (d) => d.e.type === "user_registered" || d.e.type === "user_renamed");
        for (const { p, e } of names) await project(p, e, { store: deps.store, views: chaotic });
        const jobs = rest.flatMap((d) => (noise.next().value % 4 === 0 ? [d, d] : [d]));
        const shuffled = jobs.map((d) => ({ d, k: noise.next().value })).sort((a, b) => a.k - b.k).map((x) => x.d);
        // A clock at the first event: every run that sees a later event coming defers to it (coalesce.ts).
        const early = () => new Date(events[0]!.timestamp);
        await Promise.all(shuffled.map(({ p, e }) => project(p, e, { store: deps.store, views: chaotic, now: early })));

        const rebuilt = new MemoryViewStore();
        const latest = new Map<string, { p: ProjectionName; e: StoredEvent }>();
        for (const d of deliveries(events)) if (d.p !== "user") latest.set(`${d.p}|${d.e.stream}`, d);
        for (const d of deliveries(events)) if (d.p === "user") await project(d.p, d.e, { store: deps.store, views: rebuilt });
        for (const d of latest.values()) await project(d.p, d.e, { store: deps.store, views: rebuilt });

        await expectModel(inOrder, deps.model);
        expect(chaotic.snapshot()).to.deep.equal(inOrder.snapshot());
        expect(rebuilt.snapshot()).to.deep.equal(inOrder.snapshot());
      }),
      // Shrinking a failure of long histories can outlast the timeout: report the smallest one found by then.
      { numRuns: 25, interruptAfterTimeLimit: 60_000 },
    );
  });

  it("exercise sealed pages, edits, deletions, reactions, threads and DMs: the generated histories reach past one page and change messages on it", async () => {
    const samples = fc.sample(fc.array(step, { minLength: 900, maxLength: 900 }), { numRuns: 5, seed: 7 });
    let sealed = 0;
    let sealedEdits = 0;
    let sealedReactions = 0;
    let threads = 0;
    let threadChanges = 0;
    const changes: Record<string, number> = { message_edited: 0, message_deleted: 0, reaction_added: 0, reaction_removed: 0 };
    let dmMessages = 0;
    for (const steps of samples) {
      const deps = await history(steps);
      const views = await deliverInOrder(deps.store.all().sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1)), deps);
      sealed += [...views.objects.keys()].filter((k) => k.endsWith("/pages/0.json")).length; // a page gets its own document once sealed
      sealedEdits += [...views.objects.keys()].filter((k) => k.endsWith(".edits.json")).length; // changes to a sealed page's messages
      for (const [key, body] of views.objects) {
        if (!key.endsWith(".edits.json")) continue;
        const edits = (JSON.parse(body.body) as { edits: { reactions?: unknown[] }[] }).edits;
        sealedReactions += edits.filter((e) => e.reactions !== undefined && e.reactions.length > 0).length;
      }
      for (const e of deps.store.all()) if (e.type in changes) changes[e.type]!++;
      threads += [...views.objects.keys()].filter((k) => /\/threads\/[^/]+\.json$/.test(k)).length;
      threadChanges += deps.store.all().filter((e) => e.type !== "message_sent" && threadOf(e) !== undefined).length;
      dmMessages += deps.store.all().filter((e) => e.type === "message_sent" && channels.indexOf(e.channelId) >= 2).length;
    }
    expect(sealed).to.be.greaterThan(0);
    expect(sealedEdits).to.be.greaterThan(0);
    expect(threads, "threads with replies").to.be.greaterThan(0);
    expect(threadChanges, "replies edited, deleted or reacted to").to.be.greaterThan(0);
    expect(sealedReactions, "messages of sealed pages with reactions").to.be.greaterThan(0);
    expect(changes.reaction_added).to.be.greaterThan(30);
    expect(changes.reaction_removed).to.be.greaterThan(10);
    expect(changes.message_edited).to.be.greaterThan(10);
    expect(changes.message_deleted).to.be.greaterThan(5);
    expect(dmMessages, "messages in DMs").to.be.greaterThan(10);
  });
});
