/**
 * Property: for any valid history, the views from delivering its events in order equal the
 * views from delivering them shuffled, duplicated and concurrently (as EventBridge and
 * Lambda may) with runs leaving their writes to later events' runs, and equal the views
 * rebuilt from the store alone.
 */
import { expect } from "chai";
import fc from "fast-check";
import type { EventInput, StoredEvent } from "../../functions/domain/events";
import { type ProjectionName, projectionsFor } from "../../functions/domain/routes";
import { appendEvent } from "../../functions/usecases/appendEvent";
import { project } from "../../functions/usecases/project";
import { memoryAdapters, MemoryViewStore } from "../support/memoryPorts";

const users = ["u-ann", "u-ben", "u-cat"];
const channels = ["aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002"];
const messageIds = Array.from({ length: 200 }, (_, i) => `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, "0")}`);

/** Some texts name another user, so the mentions projection has work to do. */
const text = fc.oneof({ weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) }, { weight: 1, arbitrary: fc.constantFrom("@u-ann hi", "@u-ben", "ask @u-cat") });
const command = fc.oneof(
  { weight: 2, arbitrary: fc.record({ type: fc.constant("channel_created" as const), c: fc.nat(1), priv: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant("user_joined_channel" as const), c: fc.nat(1), other: fc.option(fc.nat(2), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("user_left_channel" as const), c: fc.nat(1) }) },
  { weight: 16, arbitrary: fc.record({ type: fc.constant("message_sent" as const), c: fc.nat(1), m: fc.nat(199), text }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("message_edited" as const), c: fc.nat(1), m: fc.nat(199), text }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("message_deleted" as const), c: fc.nat(1), m: fc.nat(199) }) },
);
const step = fc.record({ user: fc.nat(2), command });

// biome-ignore: the generated command is a tagged record
function toInput(cmd: any): EventInput {
  const channelId = channels[cmd.c]!;
  switch (cmd.type) {
    case "channel_created":
      return { type: cmd.type, channelId, name: `chan-${cmd.c}`, private: cmd.priv };
    case "user_joined_channel":
      return { type: cmd.type, channelId, ...(cmd.other === undefined ? {} : { memberId: users[cmd.other] }) };
    case "user_left_channel":
      return { type: cmd.type, channelId };
    case "message_deleted":
      return { type: cmd.type, channelId, messageId: messageIds[cmd.m]! };
    default:
      return { type: cmd.type, channelId, messageId: messageIds[cmd.m]!, text: `x${cmd.text}`.trim() };
  }
}

async function history(steps: { user: number; command: unknown }[]) {
  const deps = memoryAdapters();
  for (const user of users) {
    await deps.store.append({ type: "user_registered", eventId: deps.newId(), stream: `user-${user}`, seq: 1, timestamp: deps.now().toISOString(), userId: user, name: user.toUpperCase() });
  }
  for (const s of steps) await appendEvent({ input: toInput(s.command), userId: users[s.user]! }, deps);
  return deps;
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

  it("yield the same views as in-order delivery and as a rebuild from the store", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 100, maxLength: 500 }), fc.infiniteStream(fc.nat(1000)), async (steps, noise) => {
        const deps = await history(steps);
        const events = deps.store.all().sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
        const inOrder = await deliverInOrder(events, deps);

        const chaotic = new MemoryViewStore();
        // Names are delivered first: a mention of someone whose registration the mentions
        // projection has not seen yet is the one order-dependence it has (README, mentions).
        const [names, rest] = partition(deliveries(events), (d) => d.e.type === "user_registered");
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

        expect(chaotic.snapshot()).to.deep.equal(inOrder.snapshot());
        expect(rebuilt.snapshot()).to.deep.equal(inOrder.snapshot());
      }),
      { numRuns: 25 },
    );
  });

  it("exercise sealed pages: the generated histories reach past one page", async () => {
    const samples = fc.sample(fc.array(step, { minLength: 500, maxLength: 500 }), { numRuns: 5, seed: 7 });
    let sealed = 0;
    for (const steps of samples) {
      const deps = await history(steps);
      const views = await deliverInOrder(deps.store.all().sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1)), deps);
      sealed += [...views.objects.keys()].filter((k) => k.endsWith("/pages/0.json")).length; // a page gets its own document once sealed
    }
    expect(sealed).to.be.greaterThan(0);
  });
});
