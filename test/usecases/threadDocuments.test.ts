/** A thread's documents under failed writes and overlapping runs (attacker review, issue 14): each sealed thread page keeps its own checkpoint and is written before its head. */
import { expect } from "chai";
import { appendEvent } from "../../functions/usecases/appendEvent";
import { catchUpChannel } from "../../functions/usecases/project";
import { currentViews } from "../../functions/usecases/generations";
import { readView } from "../../functions/usecases/readView";
import { memoryAdapters, MemoryViewStore } from "../support/memoryPorts";
import type { EventInput } from "../../functions/domain/events";
import type { EventStore, PutCondition, ViewStore } from "../../functions/ports";

const CH = "aaaaaaaa-0000-4000-8000-00000000000c";
const mid = (n: number) => `bbbbbbbb-0000-4000-8000-${String(n).padStart(12, "0")}`;

class FlakyViews extends MemoryViewStore {
  failOnce?: RegExp;
  override async put(key: string, body: string, condition: PutCondition, meta?: Record<string, string>) {
    if (this.failOnce?.test(key)) { this.failOnce = undefined; await new Promise((r) => setImmediate(r)); throw new Error("S3 503 SlowDown (simulated) on " + key); }
    return super.put(key, body, condition, meta);
  }
}

async function setup() {
  const a = memoryAdapters();
  const views = new FlakyViews();
  const deps = { ...a, views };
  const send = async (userId: string, input: EventInput) => {
    const r = await appendEvent({ input, userId }, deps);
    if (r.kind !== "accepted") throw new Error(JSON.stringify(r));
    return r.accepted;
  };
  const run = async () => catchUpChannel(CH, { store: a.store, views: await currentViews(views, "channel") });
  const get = async (path: string) => { const r = await readView(path, "u1", views); return r.kind === "view" ? JSON.parse(r.body) : r.refusal; };
  await send("u1", { type: "channel_created", channelId: CH, name: "c" } as EventInput);
  await send("u1", { type: "message_sent", channelId: CH, messageId: mid(0), text: "root" } as EventInput);
  for (let i = 1; i <= 49; i++) await send("u1", { type: "message_sent", channelId: CH, messageId: mid(i), text: `reply ${i}`, threadId: mid(0) } as EventInput);
  await run();
  return { send, run, get, views };
}

describe("a thread's sealed pages when a write fails", () => {
  it("keeps the 50 replies of a page sealed by a run whose page write failed: the redelivery writes it", async () => {
    const { send, run, get, views } = await setup();
    await send("u1", { type: "message_sent", channelId: CH, messageId: mid(50), text: "reply 50", threadId: mid(0) } as EventInput);
    views.failOnce = /threads\/.*\/pages\/0\.json$/;
    let threw = false;
    try { await run(); } catch { threw = true; }
    expect(threw).to.equal(true);
    await run(); // the bus redelivers
    const head = await get(`channels/${CH}/threads/${mid(0)}`);
    const page0 = await get(`channels/${CH}/threads/${mid(0)}/pages/0`);
    expect(page0.messages?.length, "page 0 should hold 50 replies").to.equal(50);
  });

  it("deletes a reply on a sealed page whose write failed once: the redelivery applies it", async () => {
    const { send, run, get, views } = await setup();
    await send("u1", { type: "message_sent", channelId: CH, messageId: mid(50), text: "reply 50", threadId: mid(0) } as EventInput);
    await run();
    await send("u1", { type: "message_deleted", channelId: CH, messageId: mid(3) } as EventInput);
    views.failOnce = /threads\/.*\/pages\/0\.json$/;
    let threw = false;
    try { await run(); } catch { threw = true; }
    expect(threw).to.equal(true);
    await run();
    const page0 = await get(`channels/${CH}/threads/${mid(0)}/pages/0`);
    const m3 = page0.messages.find((m: { messageId: string }) => m.messageId === mid(3));
    expect(m3.deleted).to.equal(true);
  });
});

const latch = () => { let open!: () => void; const p = new Promise<void>((r) => (open = r)); return { p, open }; };

function gated(inner: ViewStore, gates: { key: RegExp; before?: () => Promise<void>; after?: () => void }[]): ViewStore {
  const used = new Set<number>();
  return new Proxy(inner, {
    get(target, prop, recv) {
      if (prop !== "put") return Reflect.get(target, prop, recv);
      return async (key: string, body: string, cond: PutCondition, meta?: Record<string, string>) => {
        const i = gates.findIndex((g, n) => !used.has(n) && g.key.test(key));
        const gate = gates[i];
        if (gate) used.add(i);
        await gate?.before?.();
        const r = await target.put(key, body, cond, meta);
        gate?.after?.();
        return r;
      };
    },
  });
}

describe("a thread's sealed pages under overlapping runs", () => {
  it("keeps an edit and a deletion of replies on a sealed page when two runs overlap, each winning one write", async () => {
    const a = memoryAdapters();
    const send = async (userId: string, input: EventInput) => { const r = await appendEvent({ input, userId }, a); if (r.kind !== "accepted") throw new Error(JSON.stringify(r)); return r.accepted; };
    await send("u1", { type: "channel_created", channelId: CH, name: "c" } as EventInput);
    await send("u1", { type: "message_sent", channelId: CH, messageId: mid(0), text: "root" } as EventInput);
    for (let i = 1; i <= 51; i++) await send("u1", { type: "message_sent", channelId: CH, messageId: mid(i), text: `reply ${i}`, threadId: mid(0) } as EventInput);
    const base = await currentViews(a.views, "channel");
    await catchUpChannel(CH, { store: a.store, views: base });
    const e1 = await send("u1", { type: "message_edited", channelId: CH, messageId: mid(3), text: "EDIT ONE" } as EventInput);
    await send("u1", { type: "message_deleted", channelId: CH, messageId: mid(4) } as EventInput);

    const bStarted = latch(), aPageDone = latch(), bHeadDone = latch();
    const page = /threads\/[^/]+\/pages\/0\.json$/, threadHead = /threads\/[^/]+\.json$/;
    const viewsA = gated(base, [
      { key: page, before: () => bStarted.p, after: aPageDone.open },
      { key: threadHead, before: () => bHeadDone.p },
    ]);
    const viewsB = gated(base, [
      { key: page, before: async () => { bStarted.open(); await aPageDone.p; } },
      { key: threadHead, after: bHeadDone.open },
    ]);
    // Run A read the stream before the deletion was appended (it ends at the edit).
    const storeA: EventStore = new Proxy(a.store, { get(t, p, r) { if (p !== "read") return Reflect.get(t, p, r); return async (s: string, after: number, limit?: number) => (await t.read(s, after, limit)).filter((e) => e.seq <= e1.seq); } });
    await Promise.all([catchUpChannel(CH, { store: storeA, views: viewsA }), catchUpChannel(CH, { store: a.store, views: viewsB })]);
    await catchUpChannel(CH, { store: a.store, views: base });
    const r = await readView(`channels/${CH}/threads/${mid(0)}/pages/0`, "u1", a.views);
    const msgs = r.kind === "view" ? JSON.parse(r.body).messages : [];
    const m3 = msgs.find((m: { messageId: string }) => m.messageId === mid(3));
    const m4 = msgs.find((m: { messageId: string }) => m.messageId === mid(4));
    expect(m3.text).to.equal("EDIT ONE");
    expect(m4.deleted).to.equal(true);
  });
});
