import { expect } from "chai";
import type { Connection, ConnectionStore, Pusher } from "../../functions/ports";
import { appendEvent } from "../../functions/usecases/appendEvent";
import { notify, perUserLookups } from "../../functions/usecases/notify";
import { registerUser } from "../../functions/usecases/registerUser";
import { memoryAdapters } from "../support/memoryPorts";

const channelId = "33333333-3333-4333-8333-333333333333";

function fakes(gone: string[] = []) {
  const reads = { ofUser: 0, all: 0 };
  const connections: Connection[] = [
    { connectionId: "a1", userId: "ann" },
    { connectionId: "a2", userId: "ann" },
    { connectionId: "b1", userId: "ben" },
    { connectionId: "c1", userId: "cat" },
  ];
  const pushed: { connectionId: string; data: string }[] = [];
  const store: ConnectionStore = {
    add: async () => undefined,
    remove: async (c) => void connections.splice(connections.findIndex((x) => x.connectionId === c.connectionId), 1),
    ofUser: async (u) => (reads.ofUser++, connections.filter((c) => c.userId === u)),
    all: async () => (reads.all++, [...connections]),
  };
  const pusher: Pusher = {
    push: async (connectionId, data) => (gone.includes(connectionId) ? "gone" : (pushed.push({ connectionId, data }), "sent")),
  };
  return { connections, pushed, store, pusher, reads };
}

describe("notify", () => {
  it("finds a big channel's sockets with one read of every connection, and a small one's by member", async () => {
    const deps = memoryAdapters();
    await appendEvent({ input: { type: "channel_created", channelId, name: "c", private: true }, userId: "ann" }, deps);
    const small = fakes();
    await notify(deps.store.all().at(-1)!, { store: deps.store, connections: small.store, pusher: small.pusher });
    expect(small.reads).to.deep.equal({ ofUser: 1, all: 0 });

    const others = Array.from({ length: perUserLookups }, (_, i) => `user-${i}`);
    for (const memberId of [...others, "cat"]) {
      await registerUser(memberId, memberId, deps);
      const added = await appendEvent({ input: { type: "user_joined_channel", channelId, memberId }, userId: "ann" }, deps);
      expect(added.kind).to.equal("accepted");
    }
    const big = fakes();
    const lastJoin = deps.store.all().filter((e) => e.type === "user_joined_channel").at(-1)!;
    await notify(lastJoin, { store: deps.store, connections: big.store, pusher: big.pusher });
    expect(big.reads).to.deep.equal({ ofUser: 0, all: 1 });
    expect(big.pushed.map((p) => p.connectionId).sort(), "members only: ben is not in it").to.deep.equal(["a1", "a2", "c1"]);
  });

  it("pushes a message to the sockets of the channel's members only, as {type: event, event}", async () => {
    const deps = memoryAdapters();
    await registerUser("ben", "Ben", deps);
    await appendEvent({ input: { type: "channel_created", channelId, name: "c", private: true }, userId: "ann" }, deps);
    await appendEvent({ input: { type: "user_joined_channel", channelId, memberId: "ben" }, userId: "ann" }, deps);
    const event = deps.store.all().find((e) => e.type === "user_joined_channel")!;
    const f = fakes();
    await notify(event, { store: deps.store, connections: f.store, pusher: f.pusher });
    expect(f.pushed.map((p) => p.connectionId).sort()).to.deep.equal(["a1", "a2", "b1"]);
    expect(JSON.parse(f.pushed[0]!.data)).to.deep.equal({ type: "event", event });
  });

  it("tells the one who left, decides membership at send time, and reaches everyone for a public channel", async () => {
    const deps = memoryAdapters();
    await appendEvent({ input: { type: "channel_created", channelId, name: "c" }, userId: "ann" }, deps);
    await appendEvent({ input: { type: "user_joined_channel", channelId }, userId: "ben" }, deps);
    await appendEvent({ input: { type: "user_left_channel", channelId }, userId: "ben" }, deps);
    const [created, joined, left] = deps.store.all();
    const f = fakes();
    await notify(created!, { store: deps.store, connections: f.store, pusher: f.pusher });
    expect(f.pushed.map((p) => p.connectionId).sort()).to.deep.equal(["a1", "a2", "b1", "c1"]);
    f.pushed.length = 0;
    await notify(joined!, { store: deps.store, connections: f.store, pusher: f.pusher });
    expect(f.pushed.map((p) => p.connectionId).sort()).to.deep.equal(["a1", "a2"]); // ben has left by now
    f.pushed.length = 0;
    await notify(left!, { store: deps.store, connections: f.store, pusher: f.pusher });
    expect(f.pushed.map((p) => p.connectionId).sort()).to.deep.equal(["a1", "a2", "b1"]);
  });

  it("forgets connections that answer 410 Gone", async () => {
    const deps = memoryAdapters();
    await appendEvent({ input: { type: "channel_created", channelId, name: "c" }, userId: "ann" }, deps);
    const f = fakes(["a2"]);
    const outcome = await notify(deps.store.all()[0]!, { store: deps.store, connections: f.store, pusher: f.pusher });
    expect(outcome).to.deep.equal({ sent: 3, gone: 1 });
    expect(f.connections.map((c) => c.connectionId)).to.deep.equal(["a1", "b1", "c1"]);
  });
});

describe("notify: renames", () => {
  it("tells every connection of a rename, once per burst: a rename a later one supersedes is not pushed", async () => {
    const deps = memoryAdapters();
    await registerUser("cat", "Cat", deps);
    for (const name of ["Catherine", "Cath"]) expect((await appendEvent({ input: { type: "user_renamed", name }, userId: "cat" }, deps)).kind).to.equal("accepted");
    const [first, last] = deps.store.all().filter((e) => e.type === "user_renamed");
    const sockets = fakes();
    await notify(first!, { store: deps.store, connections: sockets.store, pusher: sockets.pusher });
    expect(sockets.pushed).to.deep.equal([]);
    await notify(last!, { store: deps.store, connections: sockets.store, pusher: sockets.pusher });
    expect(sockets.pushed.map((p) => p.connectionId).sort()).to.deep.equal(["a1", "a2", "b1", "c1"]);
    expect(JSON.parse(sockets.pushed[0]!.data).event).to.include({ type: "user_renamed", name: "Cath" });
  });
});
