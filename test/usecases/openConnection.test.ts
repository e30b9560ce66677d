import { expect } from "chai";
import { viewKeys } from "../../functions/domain/projections/keys";
import type { UserView } from "../../functions/domain/projections/user";
import { currentViews } from "../../functions/usecases/generations";
import { openConnection } from "../../functions/usecases/openConnection";
import { MemoryViewStore } from "../support/memoryPorts";
import { MemoryConnectionStore, MemoryMembershipStore } from "../support/memoryRealtime";

const channel = (n: number) => `66666666-6666-4666-8666-${String(n).padStart(12, "0")}`;

describe("opening a connection ($connect)", () => {
  it("enters the socket in each channel the user is in by the latest verdict of their view and of notify's records", async () => {
    const views = new MemoryViewStore();
    const connections = new MemoryConnectionStore();
    const memberships = new MemoryMembershipStore();
    const at = "2026-01-01T00:00:00.000Z";
    const view: UserView = {
      userId: "ben",
      name: "Ben",
      channels: [channel(1), channel(2)],
      memberships: {
        [channel(1)]: { seq: 3, member: true, at },
        [channel(2)]: { seq: 5, member: true, at },
        [channel(3)]: { seq: 4, member: false, at },
      },
    };
    await (await currentViews(views, "user")).put(viewKeys.user("ben"), JSON.stringify(view), { absent: true });
    // Notify has handled what the view has not taken in yet: ben left channel 2 and joined channel 4.
    await memberships.record("ben", channel(2), { seq: 7, member: false });
    await memberships.record("ben", channel(3), { seq: 2, member: true });
    await memberships.record("ben", channel(4), { seq: 6, member: true });
    await memberships.record("cat", channel(5), { seq: 6, member: true });

    await openConnection({ connectionId: "b1", userId: "ben" }, 2_000_000_000, { connections, memberships, views });

    expect([...connections.open.keys()]).to.deep.equal(["b1"]);
    const entered = [1, 2, 3, 4, 5].flatMap((n) => (connections.presence.get(channel(n))?.get("b1") ? [[n, connections.presence.get(channel(n))!.get("b1")!.version]] : []));
    expect(entered).to.deep.equal([
      [1, 3],
      [4, 6],
    ]);
  });

  it("enters a socket of someone in no channel nowhere", async () => {
    const connections = new MemoryConnectionStore();
    await openConnection({ connectionId: "n1", userId: "new" }, 2_000_000_000, { connections, memberships: new MemoryMembershipStore(), views: new MemoryViewStore() });
    expect([...connections.open.keys()]).to.deep.equal(["n1"]);
    expect(connections.presence.size).to.equal(0);
  });
});
