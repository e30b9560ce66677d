/** appendEvent for dm_opened (CONTRACT §11): one stream per member set, opened once, whoever asks and however often. */
import { expect } from "chai";
import { dmChannelId } from "../../functions/domain/channel/dmChannelId";
import type { EventInput } from "../../functions/domain/events";
import { appendEvent, type AppendResult } from "../../functions/usecases/appendEvent";
import { registerUser } from "../../functions/usecases/registerUser";
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
