import { expect } from "chai";
import fc from "fast-check";
import type { EventInput } from "../../functions/domain/events";
import { projectionsFor } from "../../functions/domain/routes";
import { membersInline } from "../../functions/domain/projections/storedHead";
import { appendEvent } from "../../functions/usecases/appendEvent";
import { readGenerations } from "../../functions/usecases/generations";
import { project } from "../../functions/usecases/project";
import { rebuild, viewProjections } from "../../functions/usecases/rebuild";
import { registerUser } from "../../functions/usecases/registerUser";
import { memoryAdapters } from "../support/memoryPorts";

const users = ["u1", "u2", "u3"];
const channels = ["cccccccc-0000-4000-8000-000000000001", "cccccccc-0000-4000-8000-000000000002"];

const command = fc.record({
  user: fc.nat(2),
  c: fc.nat(1),
  kind: fc.constantFrom("create", "join", "leave", "send", "send", "send", "send", "edit", "delete", "react", "react", "unreact"),
  m: fc.nat(120),
});

function input(cmd: { c: number; kind: string; m: number }): EventInput {
  const channelId = channels[cmd.c]!;
  const messageId = `dddddddd-0000-4000-8000-${String(cmd.m).padStart(12, "0")}`;
  switch (cmd.kind) {
    case "create":
      return { type: "channel_created", channelId, name: `room-${cmd.c}` };
    case "join":
      return { type: "user_joined_channel", channelId };
    case "leave":
      return { type: "user_left_channel", channelId };
    case "edit":
      return { type: "message_edited", channelId, messageId, text: `edited ${cmd.m}` };
    case "delete":
      return { type: "message_deleted", channelId, messageId };
    case "react":
      return { type: "reaction_added", channelId, messageId, emoji: ["tada", "+1"][cmd.m % 2]! };
    case "unreact":
      return { type: "reaction_removed", channelId, messageId, emoji: ["tada", "+1"][cmd.m % 2]! };
    default:
      return { type: "message_sent", channelId, messageId, text: cmd.m % 4 === 0 ? `hey @u${(cmd.m % 3) + 1}, message ${cmd.m}` : `message ${cmd.m}` };
  }
}

/** Live processing: every event delivered once, in order, to each projection. */
async function live(commands: { user: number; c: number; kind: string; m: number }[]) {
  const deps = memoryAdapters();
  for (const u of users) await registerUser(u, u.toUpperCase(), deps);
  // Both channels exist and everyone is in them, so most generated commands are accepted.
  const setup = channels.flatMap((_, c) => [{ user: 0, c, kind: "create", m: 0 }, { user: 1, c, kind: "join", m: 0 }, { user: 2, c, kind: "join", m: 0 }]);
  for (const cmd of [...setup, ...commands]) await appendEvent({ input: input(cmd), userId: users[cmd.user]! }, deps);
  for (const event of deps.store.all().sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1))) {
    for (const p of projectionsFor(event.type)) await project(p, event, deps);
  }
  return deps;
}

describe("rebuild", function () {
  this.timeout(60_000);

  it("rebuilds every projection into a new generation byte for byte equal to live processing, then drops the old one", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 20, maxLength: 250 }), async (commands) => {
        const deps = await live(commands);
        expect(deps.store.all().length).to.be.greaterThan(commands.length / 3);
        // Checkpoint documents are a projection's bookkeeping, not views: a live run stops at
        // the stream's end as it was then, a rebuild at its end now.
        const views = (prefix: string) => Object.fromEntries(Object.entries(deps.views.under(prefix)).filter(([k]) => !k.startsWith("checkpoints/")));
        const before = Object.fromEntries(viewProjections.map((p) => [p, views(`${p}/g0/`)]));
        for (const p of viewProjections) {
          const report = await rebuild(p, deps);
          expect(report.previous).to.equal("g0");
          expect(views(`${p}/${report.generation}/`)).to.deep.equal(before[p]);
          expect(await deps.views.list(`${p}/g0/`)).to.deep.equal([]);
        }
        expect(Object.keys(await readGenerations(deps.views)).sort()).to.deep.equal([...viewProjections].sort());
      }),
      { numRuns: 15 },
    );
  });

  it("lays out a big channel's members as live processing did: in a document of their own, not in the head", async () => {
    const deps = await live([{ user: 0, c: 0, kind: "create", m: 0 }]);
    const channelId = channels[0]!;
    for (let i = 0; i <= membersInline; i++) {
      const event = await appendEvent({ input: { type: "user_joined_channel", channelId }, userId: `joiner-${i}` }, deps);
      if (event.kind !== "accepted") throw new Error(JSON.stringify(event));
    }
    await appendEvent({ input: input({ c: 0, kind: "send", m: 1 }), userId: users[0]! }, deps);
    const last = deps.store.all().filter((e) => e.stream === `channel-${channelId}`).at(-1)!;
    await project("channel", last, deps);
    const before = deps.views.under("channel/g0/");
    expect(JSON.parse(before[`channels/${channelId}/members.json`]!).members).to.have.length(3 + membersInline + 1); // u1, u2, u3 and the joiners
    expect(JSON.parse(before[`channels/${channelId}/head.json`]!)).not.to.have.property("members");
    const report = await rebuild("channel", deps);
    expect(deps.views.under(`channel/${report.generation}/`)).to.deep.equal(before);
  });

  it("brings back views that were wiped", async () => {
    const deps = await live([{ user: 0, c: 0, kind: "create", m: 0 }, { user: 0, c: 0, kind: "send", m: 1 }, { user: 1, c: 0, kind: "join", m: 0 }]);
    const before = deps.views.under("channel/g0/");
    deps.views.objects.clear();
    const report = await rebuild("channel", deps);
    expect(deps.views.under(`channel/${report.generation}/`)).to.deep.equal(before);
  });

  it("resumes an interrupted rebuild in the generation it started", async () => {
    const deps = await live([{ user: 0, c: 0, kind: "create", m: 0 }, { user: 0, c: 0, kind: "send", m: 1 }]);
    const switching = deps.views.put.bind(deps.views);
    // Interrupted just before the switch: the new generation is written, the pointer is not.
    deps.views.put = async (key, body, condition) => (key === "generations.json" ? Promise.reject(new Error("interrupted")) : switching(key, body, condition));
    await rebuild("channel", deps).catch(() => undefined);
    deps.views.put = switching;
    const report = await rebuild("channel", deps);
    expect(report.resumed).to.equal(true);
    expect(deps.views.under(`channel/${report.generation}/`)).to.have.property(`channels/${channels[0]}/head.json`);
  });

  it("finds after the switch the users and channels created while it ran, in every projection", async () => {
    const deps = await live([{ user: 0, c: 0, kind: "create", m: 0 }, { user: 0, c: 0, kind: "send", m: 1 }]);
    const lateChannel = "cccccccc-0000-4000-8000-0000000000ff";
    for (const p of viewProjections) {
      let arrived = false;
      const arrive = async () => {
        if (arrived) return;
        arrived = true;
        // Live, mid-rebuild: a new account and a new channel, projected into the generation live runs use now.
        const userId = `late-${p}`;
        await registerUser(userId, `Late ${p}`, deps);
        const created = await appendEvent({ input: { type: "channel_created", channelId: p === "channel" ? lateChannel : undefined, name: `late-${p}` }, userId }, deps);
        if (created.kind !== "accepted") throw new Error("not created");
        for (const event of deps.store.all().filter((e) => e.stream === `user-${userId}` || e.stream === created.accepted.stream)) {
          for (const q of projectionsFor(event.type)) await project(q, event, deps);
        }
      };
      // They arrive after the rebuild listed the store, just before it switches generations.
      const put = deps.views.put.bind(deps.views);
      deps.views.put = async (key, body, condition) => {
        if (key === "generations.json") await arrive();
        return put(key, body, condition);
      };
      const report = await rebuild(p, deps);
      deps.views.put = put;
      expect(arrived).to.equal(true);
      const views = deps.views.under(`${p}/${report.generation}/`);
      if (p === "user") {
        expect(JSON.parse(views["users/index.json"] ?? "{}").users.map((u: { name: string }) => u.name)).to.include("Late user");
        expect(views).to.have.property("users/late-user.json");
      }
      if (p === "mentions") expect(JSON.parse(views["names.json"] ?? "{}").users.map((u: { name: string }) => u.name)).to.include("Late mentions");
      if (p === "channel") expect(views).to.have.property(`channels/${lateChannel}/head.json`);
      if (p === "directory") expect(JSON.stringify(views)).to.include("late-directory");
    }
  });
});
