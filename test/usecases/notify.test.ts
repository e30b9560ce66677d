import { expect } from "chai";
import type { EventInput, StoredEvent } from "../../functions/domain/events";
import type { ConnectionStore, Pusher } from "../../functions/ports";
import { appendEvent } from "../../functions/usecases/appendEvent";
import { notify, type NotifyDeps, pushConcurrency } from "../../functions/usecases/notify";
import { openConnection } from "../../functions/usecases/openConnection";
import { registerUser } from "../../functions/usecases/registerUser";
import { memoryAdapters } from "../support/memoryPorts";
import { MemoryConnectionStore, MemoryMembershipStore, RecordingPusher } from "../support/memoryRealtime";

const channelId = "33333333-3333-4333-8333-333333333333";
const otherChannel = "44444444-4444-4444-8444-444444444444";
const messageId = (n: number) => `55555555-5555-4555-8555-${String(n).padStart(12, "0")}`;

/** A store, the realtime ports in memory, and sockets opened as $connect opens them (no user views yet: they lag). */
async function world(gone: string[] = []) {
  const deps = memoryAdapters();
  for (const person of ["ann", "ben", "cat"]) await registerUser(person, person, deps);
  const connections = new MemoryConnectionStore();
  const memberships = new MemoryMembershipStore();
  const pusher = new RecordingPusher(new Set(gone));
  const realtime: NotifyDeps = { store: deps.store, connections, memberships, pusher };
  const post = async (input: EventInput, userId: string): Promise<StoredEvent> => {
    const result = await appendEvent({ input, userId }, deps);
    if (result.kind !== "accepted") throw new Error(`refused: ${JSON.stringify(result)}`);
    return deps.store.all().find((e) => e.eventId === result.accepted.eventId)!;
  };
  const connect = (connectionId: string, userId: string, over: Partial<Parameters<typeof openConnection>[2]> = {}) =>
    openConnection({ connectionId, userId }, Math.floor(Date.now() / 1000) + 3600, { connections, memberships, views: deps.views, ...over });
  const message = (n: number, userId = "ann", channel = channelId) => post({ type: "message_sent", channelId: channel, messageId: messageId(n), text: `m${n}` }, userId);
  return { deps, connections, memberships, pusher, realtime, post, connect, message };
}

/** A promise to wait on, and the function that lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("notify: a channel's sockets by its presence", () => {
  it("reads only the channel's presence for a message: not every connection, not each member's", async () => {
    const w = await world();
    await w.connect("a1", "ann");
    await w.connect("a2", "ann");
    await w.connect("b1", "ben");
    for (let i = 0; i < 30; i++) await w.connect(`x${i}`, `stranger-${i}`);
    await notify(await w.post({ type: "channel_created", channelId, name: "c", private: true }, "ann"), w.realtime);
    await notify(await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann"), w.realtime);
    const m = await w.message(1);
    w.connections.reads.ofUser = w.connections.reads.all = w.connections.reads.inChannel = 0;
    await notify(m, w.realtime);
    expect(w.connections.reads).to.deep.equal({ ofUser: 0, all: 0, inChannel: 1 });
    expect(w.pusher.receivers(m)).to.deep.equal(["a1", "a2", "b1"]);
    expect(JSON.parse(w.pusher.pushed.at(-1)!.data)).to.deep.equal({ type: "event", event: m });
  });

  it("tells the one who left, decides membership at send time, and reaches everyone for a public channel", async () => {
    const w = await world();
    for (const [id, user] of [["a1", "ann"], ["a2", "ann"], ["b1", "ben"], ["c1", "cat"]]) await w.connect(id!, user!);
    const created = await w.post({ type: "channel_created", channelId, name: "c" }, "ann");
    const joined = await w.post({ type: "user_joined_channel", channelId }, "ben");
    const left = await w.post({ type: "user_left_channel", channelId }, "ben");
    await notify(created, w.realtime);
    expect(w.pusher.receivers(created)).to.deep.equal(["a1", "a2", "b1", "c1"]);
    await notify(joined, w.realtime);
    expect(w.pusher.receivers(joined), "ben has left by now").to.deep.equal(["a1", "a2"]);
    await notify(left, w.realtime);
    expect(w.pusher.receivers(left)).to.deep.equal(["a1", "a2", "b1"]);
    expect(w.connections.entered(channelId)).to.deep.equal(["a1", "a2"]);
  });

  it("enters a joiner's open sockets, so the channel's next message reaches them", async () => {
    const w = await world();
    await w.connect("a1", "ann");
    await w.connect("b1", "ben");
    await w.connect("b2", "ben");
    await notify(await w.post({ type: "channel_created", channelId, name: "c", private: true }, "ann"), w.realtime);
    const before = await w.message(1);
    await notify(before, w.realtime);
    expect(w.pusher.receivers(before)).to.deep.equal(["a1"]);
    await notify(await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann"), w.realtime);
    const after = await w.message(2);
    await notify(after, w.realtime);
    expect(w.pusher.receivers(after)).to.deep.equal(["a1", "b1", "b2"]);
  });

  it("reaches a joiner's sockets with the messages pushed before their join was, in order, and only once the join is handled", async () => {
    const w = await world();
    await w.connect("a1", "ann");
    await w.connect("b1", "ben");
    await w.connect("c1", "cat");
    await notify(await w.post({ type: "channel_created", channelId, name: "c", private: true }, "ann"), w.realtime);
    const benJoined = await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann");
    const catJoined = await w.post({ type: "user_joined_channel", channelId, memberId: "cat" }, "ann");
    const [m1, m2] = [await w.message(1), await w.message(2)];
    await notify(m1, w.realtime);
    await notify(m2, w.realtime);
    expect(w.pusher.receivers(m1), "nobody has entered ben and cat yet").to.deep.equal(["a1"]);
    await notify(catJoined, w.realtime);
    await notify(benJoined, w.realtime);
    expect(w.pusher.receivers(m1)).to.deep.equal(["a1", "b1", "c1"]);
    expect(w.pusher.receivers(m2)).to.deep.equal(["a1", "b1", "c1"]);
    const toBen = w.pusher.pushed.filter((p) => p.connectionId === "b1").map((p) => (JSON.parse(p.data) as { event: StoredEvent }).event.seq);
    expect(toBen, "the events after ben's join, in order: cat's join, then the messages").to.deep.equal([benJoined.seq, catJoined.seq, m1.seq, m2.seq]);
  });

  it("drops a joiner's socket that is gone after its first failed push, and does not fail the join's run for what it catches up", async () => {
    const w = await world(["b2"]);
    await w.connect("a1", "ann");
    await w.connect("b1", "ben");
    await w.connect("b2", "ben");
    await notify(await w.post({ type: "channel_created", channelId, name: "c", private: true }, "ann"), w.realtime);
    const joined = await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann");
    const messages = [await w.message(1), await w.message(2), await w.message(3)];
    let tries = 0;
    const pusher: Pusher = {
      push: async (connectionId, data) => {
        if (connectionId === "b2") tries++;
        if (connectionId === "b1" && (JSON.parse(data) as { event: StoredEvent }).event.seq === messages[1]!.seq) throw new Error("throttled");
        return w.pusher.push(connectionId, data);
      },
    };
    await notify(joined, { ...w.realtime, pusher });
    expect(tries, "b2 answered 410 to the join itself: tried no more").to.equal(1);
    expect(w.pusher.receivers(messages[0]!)).to.deep.equal(["b1"]);
    expect(w.pusher.receivers(messages[2]!), "the failed push of the second did not stop the third").to.deep.equal(["b1"]);
  });

  it("tells every member of a DM of its opening and enters all their sockets, so its messages reach them and nobody else", async () => {
    const w = await world();
    for (const [id, user] of [["a1", "ann"], ["b1", "ben"], ["b2", "ben"], ["c1", "cat"]]) await w.connect(id!, user!);
    const opened = await w.post({ type: "dm_opened", memberIds: ["ben"] }, "ann");
    const dmId = (opened as { channelId: string }).channelId;
    await notify(opened, w.realtime);
    expect(w.pusher.receivers(opened)).to.deep.equal(["a1", "b1", "b2"]);
    expect(w.connections.entered(dmId)).to.deep.equal(["a1", "b1", "b2"]);
    const m = await w.message(1, "ben", dmId);
    await notify(m, w.realtime);
    expect(w.pusher.receivers(m)).to.deep.equal(["a1", "b1", "b2"]);
  });

  it("reaches every DM member with the messages pushed before the opening was handled, in order", async () => {
    const w = await world();
    for (const [id, user] of [["a1", "ann"], ["b1", "ben"], ["c1", "cat"]]) await w.connect(id!, user!);
    const opened = await w.post({ type: "dm_opened", memberIds: ["ben", "cat"] }, "ann");
    const dmId = (opened as { channelId: string }).channelId;
    const [m1, m2] = [await w.message(1, "cat", dmId), await w.message(2, "ben", dmId)];
    await notify(m1, w.realtime);
    await notify(m2, w.realtime);
    expect(w.pusher.receivers(m1), "nobody is entered in the DM yet").to.deep.equal([]);
    await notify(opened, w.realtime);
    for (const id of ["a1", "b1", "c1"]) {
      const seqs = w.pusher.pushed.filter((p) => p.connectionId === id).map((p) => (JSON.parse(p.data) as { event: StoredEvent }).event.seq);
      expect(seqs, id).to.deep.equal([opened.seq, m1.seq, m2.seq]);
    }
  });

  it("pushes a late-handled joiner nothing from after they left: only what came while they were in", async () => {
    const w = await world();
    await w.connect("a1", "ann");
    await w.connect("b1", "ben");
    await notify(await w.post({ type: "channel_created", channelId, name: "c", private: true }, "ann"), w.realtime);
    const joined = await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann");
    const whileIn = await w.message(1);
    const left = await w.post({ type: "user_left_channel", channelId }, "ben");
    const whileOut = await w.message(2);
    const back = await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann");
    const afterBack = await w.message(3);
    for (const e of [whileIn, whileOut, afterBack, left, joined]) await notify(e, w.realtime);
    expect(w.pusher.receivers(whileIn)).to.deep.equal(["a1", "b1"]);
    expect(w.pusher.receivers(whileOut)).to.deep.equal(["a1"]);
    expect(w.pusher.receivers(afterBack), "not by the first join's run: the rejoin's brings it").to.deep.equal(["a1"]);
    await notify(back, w.realtime);
    expect(w.pusher.receivers(whileOut), "nor by the rejoin's").to.deep.equal(["a1"]);
    expect(w.pusher.receivers(afterBack)).to.deep.equal(["a1", "b1"]);
  });
});

describe("notify: privacy is decided at send time, whatever presence says", () => {
  it("never pushes to a stale presence entry of someone who is not a member", async () => {
    const w = await world();
    await w.connect("a1", "ann");
    await w.connect("c1", "cat");
    await notify(await w.post({ type: "channel_created", channelId, name: "c", private: true }, "ann"), w.realtime);
    w.connections.put(channelId, { connectionId: "c1", userId: "cat" }, 99);
    const m = await w.message(1);
    await notify(m, w.realtime);
    expect(w.pusher.receivers(m)).to.deep.equal(["a1"]);
  });

  async function memberThenLeave() {
    const w = await world();
    await w.connect("a1", "ann");
    await w.connect("b1", "ben");
    await notify(await w.post({ type: "channel_created", channelId, name: "c", private: true }, "ann"), w.realtime);
    await notify(await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann"), w.realtime);
    const sent = await w.message(1);
    const left = await w.post({ type: "user_left_channel", channelId }, "ben");
    return { w, sent, left };
  }

  it("a message sent before a leave but pushed after it, leave handled first: not to the leaver", async () => {
    const { w, sent, left } = await memberThenLeave();
    await notify(left, w.realtime);
    await notify(sent, w.realtime);
    expect(w.pusher.receivers(left)).to.deep.equal(["a1", "b1"]);
    expect(w.pusher.receivers(sent)).to.deep.equal(["a1"]);
  });

  it("a message sent before a leave but pushed after it, message handled first: not to the leaver either", async () => {
    const { w, sent, left } = await memberThenLeave();
    await notify(sent, w.realtime);
    await notify(left, w.realtime);
    expect(w.pusher.receivers(sent)).to.deep.equal(["a1"]);
    expect(w.pusher.receivers(left)).to.deep.equal(["a1", "b1"]);
    expect(w.connections.entered(channelId)).to.deep.equal(["a1"]);
  });

  it("a late leave does not take out someone who has joined again since (a newer verdict stands)", async () => {
    const { w, left } = await memberThenLeave();
    // The leave's run reads the channel before the rejoin is stored, and takes its socket out only after the rejoin's run.
    const reached = gate();
    const go = gate();
    const slow: ConnectionStore = Object.assign(Object.create(w.connections) as ConnectionStore, {
      exit: async (...args: Parameters<ConnectionStore["exit"]>) => {
        reached.open();
        await go.opened;
        return w.connections.exit(...args);
      },
    });
    const leaving = notify(left, { ...w.realtime, connections: slow });
    await reached.opened;
    await notify(await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann"), w.realtime);
    go.open();
    await leaving;
    const m = await w.message(2);
    await notify(m, w.realtime);
    expect(w.pusher.receivers(m)).to.deep.equal(["a1", "b1"]);
  });
});

describe("notify: a join racing a socket's connect", () => {
  async function channelWithAnn() {
    const w = await world();
    await w.connect("a1", "ann");
    await notify(await w.post({ type: "channel_created", channelId, name: "c", private: true }, "ann"), w.realtime);
    return w;
  }
  const reachesBen = async (w: Awaited<ReturnType<typeof world>>) => {
    const m = await w.message(9);
    await notify(m, w.realtime);
    return w.pusher.receivers(m);
  };

  it("the socket connects before the join is handled: the join enters it", async () => {
    const w = await channelWithAnn();
    const join = await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann");
    await w.connect("b1", "ben");
    await notify(join, w.realtime);
    expect(await reachesBen(w)).to.deep.equal(["a1", "b1"]);
  });

  it("the join is handled before the socket connects, with the user's view not showing it yet: the connect enters it", async () => {
    const w = await channelWithAnn();
    await notify(await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann"), w.realtime);
    await w.connect("b1", "ben");
    expect(await reachesBen(w)).to.deep.equal(["a1", "b1"]);
  });

  it("the join is handled whole after the connect has read ben's memberships but before it enters the socket anywhere", async () => {
    const w = await channelWithAnn();
    const join = await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann");
    const read = gate();
    const go = gate();
    const memberships = Object.assign(Object.create(w.memberships) as typeof w.memberships, {
      of: async (userId: string) => {
        const found = await w.memberships.of(userId);
        read.open();
        await go.opened;
        return found;
      },
    });
    const connecting = w.connect("b1", "ben", { memberships });
    await read.opened;
    await notify(join, w.realtime);
    go.open();
    await connecting;
    expect(await reachesBen(w)).to.deep.equal(["a1", "b1"]);
  });

  it("the socket connects whole after the join's run has looked for ben's sockets but before it enters any", async () => {
    const w = await channelWithAnn();
    const join = await w.post({ type: "user_joined_channel", channelId, memberId: "ben" }, "ann");
    const looked = gate();
    const go = gate();
    const connections = Object.assign(Object.create(w.connections) as ConnectionStore, {
      ofUser: async (userId: string) => {
        const found = await w.connections.ofUser(userId);
        looked.open();
        await go.opened;
        return found;
      },
    });
    const joining = notify(join, { ...w.realtime, connections });
    await looked.opened;
    await w.connect("b1", "ben");
    go.open();
    await joining;
    expect(await reachesBen(w)).to.deep.equal(["a1", "b1"]);
  });
});

describe("notify: pushing", () => {
  it("forgets a connection that answers 410 Gone, under its user and in every channel it was in", async () => {
    const w = await world();
    for (const [id, user] of [["a1", "ann"], ["a2", "ann"], ["b1", "ben"], ["c1", "cat"]]) await w.connect(id!, user!);
    await notify(await w.post({ type: "channel_created", channelId: otherChannel, name: "other", private: true }, "ann"), w.realtime);
    w.pusher.gone.add("a2");
    const outcome = await notify(await w.post({ type: "channel_created", channelId, name: "c" }, "ann"), w.realtime);
    expect(outcome).to.deep.equal({ sent: 3, gone: 1 });
    expect([...w.connections.open.keys()].sort()).to.deep.equal(["a1", "b1", "c1"]);
    expect(w.connections.entered(channelId)).to.deep.equal(["a1"]);
    expect(w.connections.entered(otherChannel)).to.deep.equal(["a1"]);
  });

  it("forgets a gone connection found in the channel even when its user's entry is already gone", async () => {
    const w = await world(["z1"]);
    await w.connect("a1", "ann");
    await notify(await w.post({ type: "channel_created", channelId, name: "c", private: true }, "ann"), w.realtime);
    w.connections.put(channelId, { connectionId: "z1", userId: "ann" }, 1);
    expect(await notify(await w.message(1), w.realtime)).to.deep.equal({ sent: 1, gone: 1 });
    expect(w.connections.entered(channelId)).to.deep.equal(["a1"]);
  });

  it(`pushes in parallel, never more than ${pushConcurrency} at once`, async () => {
    const w = await world();
    for (let i = 0; i < 4 * pushConcurrency; i++) await w.connect(`s${i}`, `user-${i}`);
    let inFlight = 0;
    let most = 0;
    const pusher: Pusher = {
      push: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return "sent";
      },
    };
    const outcome = await notify(await w.post({ type: "channel_created", channelId, name: "c" }, "user-0"), { ...w.realtime, pusher });
    expect(outcome.sent).to.equal(4 * pushConcurrency);
    expect(most).to.equal(pushConcurrency);
  });

  it("keeps pushing to the others when one push fails, then fails so the bus delivers again", async () => {
    const w = await world();
    for (const [id, user] of [["a1", "ann"], ["b1", "ben"], ["c1", "cat"]]) await w.connect(id!, user!);
    const sent: string[] = [];
    const pusher: Pusher = {
      push: async (connectionId) => {
        if (connectionId === "a1") throw new Error("throttled");
        sent.push(connectionId);
        return "sent";
      },
    };
    const created = await w.post({ type: "channel_created", channelId, name: "c" }, "ann");
    let failure: unknown;
    await notify(created, { ...w.realtime, pusher }).catch((error: unknown) => (failure = error));
    expect((failure as Error | undefined)?.message).to.equal("throttled");
    expect(sent.sort()).to.deep.equal(["b1", "c1"]);
  });
});

describe("notify: renames", () => {
  it("tells every connection of a rename, once per burst: a rename a later one supersedes is not pushed", async () => {
    const w = await world();
    for (const [id, user] of [["a1", "ann"], ["b1", "ben"], ["c1", "cat"]]) await w.connect(id!, user!);
    for (const name of ["Catherine", "Cath"]) await w.post({ type: "user_renamed", name }, "cat");
    const [first, last] = w.deps.store.all().filter((e) => e.type === "user_renamed");
    await notify(first!, w.realtime);
    expect(w.pusher.pushed).to.deep.equal([]);
    await notify(last!, w.realtime);
    expect(w.pusher.receivers(last!)).to.deep.equal(["a1", "b1", "c1"]);
    expect(JSON.parse(w.pusher.pushed[0]!.data).event).to.include({ type: "user_renamed", name: "Cath" });
  });
});
