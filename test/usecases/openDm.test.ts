/** appendEvent for dm_opened (CONTRACT §11): one stream per member set, opened once, whoever asks and however often. */
import { expect } from "chai";
import { dmChannelId } from "../../functions/domain/channel/dmChannelId";
import type { EventInput } from "../../functions/domain/events";
import { appendEvent, type AppendResult } from "../../functions/usecases/appendEvent";
import { registerUser } from "../../functions/usecases/registerUser";
import { currentViews } from "../../functions/usecases/generations";
import { catchUpChannel, project } from "../../functions/usecases/project";
import { projectionsFor } from "../../functions/domain/routes";
import { readView } from "../../functions/usecases/readView";
import { memoryAdapters } from "../support/memoryPorts";

const [ann, ben, cat] = ["u-ann", "u-ben", "u-cat"];
type Deps = ReturnType<typeof memoryAdapters>;
const open = (deps: Deps, userId: string, memberIds: string[], idempotencyKey?: string) =>
  appendEvent({ input: { type: "dm_opened", memberIds } as EventInput, userId, idempotencyKey }, deps);
const accepted = (r: AppendResult) => {
  if (r.kind !== "accepted") throw new Error(`expected accepted, got ${JSON.stringify(r)}`);
  return r.accepted;
};

async function people(): Promise<Deps> {
  const deps = memoryAdapters();
  for (const person of [ann, ben, cat]) await registerUser(person, person, deps);
  return deps;
}
const dmEvents = (deps: Deps) => deps.store.all().filter((e) => e.type === "dm_opened");

describe("appendEvent: dm_opened", () => {
  it("stores the opening at seq 1 of the stream its member set gives", async () => {
    const deps = await people();
    const answer = accepted(await open(deps, ann, [ben, cat]));
    expect(answer).to.include({ stream: `channel-${dmChannelId([ann, ben, cat])}`, seq: 1 });
    expect(dmEvents(deps)).to.have.length(1);
    expect(dmEvents(deps)[0]).to.deep.include({ userId: ann, memberIds: [ben, cat], channelId: dmChannelId([ann, ben, cat]) });
  });

  it("opened again by any member, in any order, stores nothing and answers as the first time", async () => {
    const deps = await people();
    const first = accepted(await open(deps, ann, [ben, cat]));
    const count = deps.store.all().length;
    expect(accepted(await open(deps, ann, [cat, ben]))).to.deep.equal(first);
    expect(accepted(await open(deps, cat, [ann, ben]))).to.deep.equal(first);
    expect(deps.store.all()).to.have.length(count);
  });

  it("answers a retry with the same Idempotency-Key with the first answer, the DM having had messages since", async () => {
    const deps = await people();
    const first = accepted(await open(deps, ann, [ben], "k1"));
    const channelId = first.stream.slice("channel-".length);
    accepted(await appendEvent({ input: { type: "message_sent", channelId, messageId: crypto.randomUUID(), text: "hi" }, userId: ben }, deps));
    expect(accepted(await open(deps, ann, [ben], "k1"))).to.deep.equal(first);
    expect(dmEvents(deps)).to.have.length(1);
  });

  it("two members opening it at the same moment store one opening, and both get its answer", async () => {
    const deps = await people();
    const [a, b] = await Promise.all([open(deps, ann, [ben], "ka"), open(deps, ben, [ann], "kb")]);
    expect(accepted(a)).to.deep.equal(accepted(b));
    expect(dmEvents(deps)).to.have.length(1);
    expect(accepted(await open(deps, ben, [ann], "kb"))).to.deep.equal(accepted(a));
  });

  it("refuses an unknown person with 404 and stores nothing", async () => {
    const deps = await people();
    const count = deps.store.all().length;
    const result = await open(deps, ann, [ben, "u-nobody"]);
    expect(result).to.deep.include({ kind: "refused" });
    expect(result.kind === "refused" && result.refusal).to.include({ status: 404, code: "user_not_found" });
    expect(deps.store.all()).to.have.length(count);
  });
});

describe("a DM seen from outside it", () => {
  /** What an outsider gets for each probe: a write of each kind, the views, taking the id for a channel. */
  async function probes(deps: Deps, dm: string): Promise<string[]> {
    const answer = (r: AppendResult) => (r.kind === "refused" ? `${r.refusal.status} ${r.refusal.code}` : r.kind);
    const write = (input: Record<string, unknown>) => appendEvent({ input: { channelId: dm, ...input } as EventInput, userId: cat }, deps).then(answer);
    const messageId = "11111111-1111-4111-8111-111111111111";
    const seen = [
      await write({ type: "message_sent", messageId, text: "hi" }),
      await write({ type: "reaction_added", messageId, emoji: "tada" }),
      await write({ type: "user_joined_channel" }),
      await write({ type: "channel_topic_set", topic: "x" }),
      await write({ type: "channel_created", name: `probe-${deps.store.all().length}` }),
    ];
    for (const path of [`channels/${dm}`, `channels/${dm}/pages/0`, `channels/${dm}/threads/${messageId}`]) {
      const found = await readView(path, cat, deps.views);
      seen.push(found.kind === "refused" ? `${found.refusal.status} ${found.refusal.code}` : "view");
    }
    return seen;
  }

  it("answers alike whether two people have a DM or not: its id can be computed from theirs", async () => {
    const deps = await people();
    const dm = dmChannelId([ann, ben]);
    const before = await probes(deps, dm);
    accepted(await open(deps, ann, [ben]));
    accepted(await appendEvent({ input: { type: "message_sent", channelId: dm, messageId: "22222222-2222-4222-8222-222222222222", text: "psst" } as EventInput, userId: ann }, deps));
    await catchUpChannel(dm, { store: deps.store, views: await currentViews(deps.views, "channel") });
    expect(await probes(deps, dm)).to.deep.equal(before);
    expect(before.every((a) => a.startsWith("403") || a.startsWith("400"))).to.equal(true);
  });
});

describe("a DM in the directory", () => {
  it("is not written to the listing every reader of the directory reads, and is listed to its members from their own views", async () => {
    const deps = await people();
    const dm = accepted(await open(deps, ann, [ben])).stream.slice("channel-".length);
    for (const event of deps.store.all()) for (const name of projectionsFor(event.type)) await project(name, event, { store: deps.store, views: deps.views });
    const listing = [...deps.views.objects.keys()].find((k) => k.endsWith("/channels.json"));
    expect(listing === undefined || !deps.views.objects.get(listing)!.body.includes(dm), "not in the listing").to.equal(true);
    const listed = async (userId: string) => {
      const found = await readView("channels", userId, deps.views);
      return found.kind === "view" ? (JSON.parse(found.body) as { channels: { channelId: string }[] }).channels.map((c) => c.channelId) : [];
    };
    expect(await listed(ann)).to.deep.equal([dm]);
    expect(await listed(ben)).to.deep.equal([dm]);
    expect(await listed(cat)).to.deep.equal([]);
  });
});
