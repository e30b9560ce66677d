/**
 * Where the channel view's documents live: the open page inside the head (one write per
 * commit), a page of its own once sealed, and readers that see the contract's shapes
 * either way, including from heads stored before the open page moved into them.
 */
import { expect } from "chai";
import type { ChannelEvent } from "../../functions/domain/events";
import { type ChannelHead, type ChannelPage, pageSize } from "../../functions/domain/projections/channel";
import { viewKeys } from "../../functions/domain/projections/keys";
import { currentViews } from "../../functions/usecases/generations";
import { catchUpChannel } from "../../functions/usecases/project";
import { readView } from "../../functions/usecases/readView";
import { ChannelHistory } from "../support/domainFixtures";
import { MemoryEventStore, MemoryViewStore } from "../support/memoryPorts";

async function setUp(events: readonly ChannelEvent[]) {
  const store = new MemoryEventStore();
  for (const event of events) await store.append(event);
  const root = new MemoryViewStore();
  const views = await currentViews(root, "channel");
  const channelId = events[0]!.channelId;
  const read = async <T>(path: string) => {
    const found = await readView(path, "u-ann", root);
    if (found.kind !== "view") throw new Error(`${path}: ${found.refusal.status}`);
    return JSON.parse(found.body) as T;
  };
  return { store, root, views, channelId, read, catchUp: () => catchUpChannel(channelId, { store, views }) };
}

const channelId = (event: ChannelEvent) => event.channelId;

describe("the channel view's storage", () => {
  it("keeps the open page inside the head: a batch of messages is one write, and readers see the contract's shapes", async () => {
    const history = new ChannelHistory();
    const { root, views, channelId, read, catchUp } = await setUp([history.created("u-ann"), ...history.sentMany("u-ann", 3)]);
    await catchUp();
    expect(root.puts).to.equal(1);
    expect(await views.get(viewKeys.page(channelId, 0))).to.equal(undefined);

    const head = await read<ChannelHead & { openPage?: unknown }>(`channels/${channelId}`);
    expect(head).to.include({ lastSeq: 4, messageCount: 3, pageCount: 1 });
    expect(head).not.to.have.property("openPage");
    const page = await read<ChannelPage>(`channels/${channelId}/pages/0`);
    expect(page.messages.map((m) => m?.seq)).to.deep.equal([2, 3, 4]);
  });

  it("gives a page its own document when it is sealed, and starts the next one in the head", async () => {
    const history = new ChannelHistory();
    const { store, views, channelId, read, catchUp } = await setUp([history.created("u-ann"), ...history.sentMany("u-ann", pageSize)]);
    await catchUp();
    const sealed = await views.get<ChannelPage>(viewKeys.page(channelId, 0));
    expect(sealed?.doc.messages).to.have.length(pageSize);
    expect((await views.get<{ openPage?: unknown }>(viewKeys.head(channelId)))?.doc).not.to.have.property("openPage");

    await store.append(history.sent("u-ann", "cccccccc-0000-4000-8000-000000000001", "the next page"));
    await catchUp();
    expect((await views.get<{ openPage?: ChannelPage }>(viewKeys.head(channelId)))?.doc.openPage?.page).to.equal(1);
    expect((await read<ChannelPage>(`channels/${channelId}/pages/1`)).messages.map((m) => m?.text)).to.deep.equal(["the next page"]);
    expect((await read<ChannelPage>(`channels/${channelId}/pages/0`)).messages).to.have.length(pageSize);
  });

  it("seals a page a crashed run already wrote without a conflict", async () => {
    const history = new ChannelHistory();
    const events = [history.created("u-ann"), ...history.sentMany("u-ann", pageSize)];
    const { store, root, views, channelId, read } = await setUp(events.slice(0, -1));
    await catchUpChannel(channelId, { store, views });
    const full = { ...(await read<ChannelPage>(`channels/${channelId}/pages/0`)) };
    const last = events.at(-1) as Extract<ChannelEvent, { type: "message_sent" }>;
    full.messages = [...full.messages, { seq: last.seq, messageId: last.messageId, userId: last.userId, text: last.text, sentAt: last.timestamp }];
    await views.put(viewKeys.page(channelId, 0), JSON.stringify(full), { absent: true }); // the crashed run's page, its head never written
    await store.append(last);
    const puts = root.puts;
    await catchUpChannel(channelId, { store, views });
    expect(root.puts - puts, "only the head: the sealed page was already right").to.equal(1);
    expect((await read<ChannelHead>(`channels/${channelId}`)).lastSeq).to.equal(last.seq);
  });

  it("leaves out a slot the store skipped (older versions could, under overload), and still edits the messages after it", async () => {
    const history = new ChannelHistory();
    const created = history.created("u-ann");
    const first = history.sent("u-ann", "cccccccc-0000-4000-8000-000000000003", "first");
    const skipped = history.sent("u-ann", "cccccccc-0000-4000-8000-000000000004", "never stored");
    const third = { ...history.sent("u-ann", "cccccccc-0000-4000-8000-000000000005", "third"), seq: skipped.seq };
    const edit = { ...history.edited("u-ann", third.messageId, "third, edited"), seq: skipped.seq + 1 };
    const { read, catchUp } = await setUp([created, first, third, edit]);
    await catchUp();
    const page = await read<ChannelPage>(`channels/${channelId(created)}/pages/0`);
    expect(page.messages.map((m) => m?.text)).to.deep.equal(["first", "third, edited"]);
  });

  it("reads and carries on from a head stored with its open page as a document of its own", async () => {
    const history = new ChannelHistory();
    const events = [history.created("u-ann"), ...history.sentMany("u-ann", 2)];
    const { store, views, channelId, read, catchUp } = await setUp(events);
    await catchUp();
    const { openPage, ...legacyHead } = (await views.get<ChannelHead & { openPage: ChannelPage }>(viewKeys.head(channelId)))!.doc;
    await views.put(viewKeys.page(channelId, 0), JSON.stringify(openPage), { absent: true });
    const stored = await views.get(viewKeys.head(channelId));
    await views.put(viewKeys.head(channelId), JSON.stringify(legacyHead), { etag: stored!.etag });
    expect((await read<ChannelPage>(`channels/${channelId}/pages/0`)).messages).to.have.length(2);

    await store.append(history.joined("u-ben"));
    await catchUp();
    expect((await views.get<{ openPage?: ChannelPage }>(viewKeys.head(channelId)))?.doc.openPage?.messages, "moved into the head").to.have.length(2);
    await store.append(history.sent("u-ann", "cccccccc-0000-4000-8000-000000000002"));
    await catchUp();
    expect((await read<ChannelPage>(`channels/${channelId}/pages/0`)).messages).to.have.length(3);
  });
});
