/**
 * What one user can make search cost everyone (the attacker review of search): a channel's
 * index head stays small under edits of old messages (its overlay is compacted), and an
 * empty channel costs a query one read. That a query reads every readable channel's head
 * is the design's (README, Search): left as a known limit.
 */
import { expect } from "chai";
import type { EventInput, StoredEvent } from "../../functions/domain/events";
import { viewKeys } from "../../functions/domain/projections/keys";
import { projectionsFor } from "../../functions/domain/routes";
import { appendEvent } from "../../functions/usecases/appendEvent";
import { project } from "../../functions/usecases/project";
import { search } from "../../functions/usecases/search";
import { memoryAdapters, MemoryViewStore } from "../support/memoryPorts";

const channel = (n: number) => `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, "0")}`;
const id = (n: number) => `bbbbbbbb-0000-4000-8000-${String(n).padStart(12, "0")}`;
const ann = "u-ann";

async function workspace() {
  const deps = memoryAdapters();
  const accept = async (input: EventInput) => {
    const result = await appendEvent({ input, userId: ann }, deps);
    if (result.kind !== "accepted") throw new Error(`${input.type} refused`);
  };
  await deps.store.append({ type: "user_registered", eventId: deps.newId(), stream: `user-${ann}`, seq: 1, timestamp: deps.now().toISOString(), userId: ann, name: "Ann" });
  return { deps, accept };
}

async function deliver(events: StoredEvent[], deps: ReturnType<typeof memoryAdapters>, views: MemoryViewStore) {
  for (const e of events) for (const p of projectionsFor(e.type)) await project(p, e, { store: deps.store, views });
}

describe("search's cost under one hostile user (review15, not fixed)", function () {
  this.timeout(300_000);

  it("keeps a channel's search head small when someone edits many of their old messages (the overlay holds every edit's text and words until its segment merges)", async () => {
    const { deps, accept } = await workspace();
    await accept({ type: "channel_created", channelId: channel(1), name: "general" });
    for (let i = 0; i < 410; i++) await accept({ type: "message_sent", channelId: channel(1), messageId: id(i), text: `hello ${i}` });
    const views = new MemoryViewStore();
    await deliver(deps.store.all(), deps, views);
    let headBytesWritten = 0;
    const counting = Object.assign(Object.create(views) as MemoryViewStore, {
      put: async (key: string, body: string, condition: Parameters<MemoryViewStore["put"]>[2], meta?: Record<string, string>) => {
        if (key.endsWith(viewKeys.searchHead(channel(1)))) headBytesWritten += body.length;
        return views.put(key, body, condition, meta);
      },
    });
    const long = "lorem ipsum ".repeat(833); // 10,000 characters: a quarter of what a message may hold
    for (let i = 0; i < 100; i++) {
      const seen = deps.store.all().length;
      await accept({ type: "message_edited", channelId: channel(1), messageId: id(i), text: `${long} ${i}` });
      await deliver(deps.store.all().slice(seen), deps, counting);
    }
    const head = [...views.objects.entries()].find(([k]) => k.endsWith(viewKeys.searchHead(channel(1))))![1].body;
    // Every query by anyone reads this head whole; every later reply or edit rewrites it whole.
    expect(headBytesWritten, "bytes written to the search head by 100 edits").to.be.below(10 * 1024 * 1024);
    expect(head.length, "bytes of the search head every query reads").to.be.below(256 * 1024);
  });

  // A query reads the head of each channel the caller may read (README, Search: what it costs): one GET for an empty one.
  it("reads one document per empty public channel in the workspace, not two", async () => {
    const { deps, accept } = await workspace();
    for (let c = 0; c < 100; c++) await accept({ type: "channel_created", channelId: channel(c), name: `spam-${c}` });
    const views = new MemoryViewStore();
    await deliver(deps.store.all(), deps, views);
    let gets = 0;
    const counting = Object.assign(Object.create(views) as MemoryViewStore, {
      get: async <T>(key: string) => {
        gets++;
        return views.get<T>(key);
      },
    });
    const answer = await search(ann, "deployment", undefined, { views: counting, store: { read: async () => [] } });
    expect(answer.kind).to.equal("results");
    expect(gets, "S3 GETs for one query in a workspace of 100 empty public channels").to.be.below(110);
  });
});
