/**
 * A big channel's members in its view (storedHead.ts): apart from the head, written only
 * when they change, and put back in their place by the views API, so `views/channels/<id>`
 * answers as CONTRACT §5 says whatever the layout.
 */
import { expect } from "chai";
import { applyChannelEvent, type ChannelHead, type ChannelViews } from "../../functions/domain/projections/channel";
import { viewKeys } from "../../functions/domain/projections/keys";
import { type MembersDoc, membersInline, type StoredHead } from "../../functions/domain/projections/storedHead";
import { currentViews } from "../../functions/usecases/generations";
import { catchUpChannel } from "../../functions/usecases/project";
import { readView } from "../../functions/usecases/readView";
import { ChannelHistory } from "../support/domainFixtures";
import { MemoryEventStore, MemoryViewStore } from "../support/memoryPorts";

const member = (i: number) => `${String(i).padStart(8, "0")}-0000-4000-8000-00000000000a`;
const owner = "u-ann";

async function setUp(history: ChannelHistory) {
  const store = new MemoryEventStore();
  const root = new MemoryViewStore();
  const views = await currentViews(root, "channel");
  const channelId = history.channelId;
  let stored = 0;
  /** Appends what the history holds beyond the store, and runs the channel runner once. */
  const catchUp = async () => {
    for (const event of history.events.slice(stored)) await store.append(event);
    stored = history.events.length;
    await catchUpChannel(channelId, { store, views });
  };
  const read = async (path: string, userId = owner) => {
    const found = await readView(path, userId, root);
    return found.kind === "view" ? { status: 200, body: found.body } : { status: found.refusal.status, body: "" };
  };
  /** The head as the browser folds it from the events: what the contract says the API answers. */
  const expected = (): ChannelHead => {
    const fold: ChannelViews = { head: undefined, pages: new Map(), edits: new Map() };
    for (const event of history.events) applyChannelEvent(fold, event);
    return fold.head!;
  };
  return { store, root, views, channelId, catchUp, read, expected };
}

/** A channel past the bound: its creator and `joined` (by default `membersInline`) who joined. */
function bigChannel(opts: { private?: boolean; joined?: number } = {}) {
  const history = new ChannelHistory();
  history.created(owner, opts);
  for (let i = 0; i < (opts.joined ?? membersInline); i++) history.joined(opts.private ? owner : member(i), member(i));
  return history;
}

describe("a big channel's members in its view", () => {
  it("are kept apart from the head: a message rewrites only the small head, a join the members too", async () => {
    const history = bigChannel({ joined: 2000 });
    const { root, views, channelId, catchUp, read, expected } = await setUp(history);
    await catchUp();
    const head = (await views.get<StoredHead>(viewKeys.head(channelId)))!.doc;
    expect(head).not.to.have.property("members");
    expect(head.membersSeq).to.equal(history.events.at(-1)!.seq);
    expect((await views.get<MembersDoc>(viewKeys.members(channelId)))!.doc.members).to.have.length(2001);

    history.sent(owner, "cccccccc-0000-4000-8000-000000000001");
    let puts = root.puts;
    await catchUp();
    expect(root.puts - puts, "the head only").to.equal(1);
    expect(root.objects.get(`channel/g0/${viewKeys.head(channelId)}`)!.body.length, "no member list inside").to.be.lessThan(8 * 1024);

    history.joined("u-late");
    puts = root.puts;
    await catchUp();
    expect(root.puts - puts, "the members, then the head").to.equal(2);
    expect(JSON.parse((await read(`channels/${channelId}`)).body)).to.deep.equal(expected());
  });

  it("are read by the channel runner only when its events change them", async () => {
    const history = bigChannel();
    const { root, channelId, catchUp } = await setUp(history);
    await catchUp();
    const gets: string[] = [];
    const get = root.get.bind(root);
    root.get = (key) => (gets.push(key), get(key));
    history.sentMany(owner, 3);
    await catchUp();
    expect(gets.filter((k) => k.endsWith(viewKeys.members(channelId)))).to.deep.equal([]);
  });

  it("come back in the contract's head, in their place, byte for byte as a small channel's head is stored", async () => {
    const history = bigChannel();
    history.sentMany(owner, 3);
    history.renamed(owner, "renamed");
    const { channelId, catchUp, read, expected } = await setUp(history);
    await catchUp();
    const answer = await read(`channels/${channelId}`);
    expect(answer.body).to.equal(JSON.stringify(expected()));
  });

  it("keep a private big channel private: its head and pages answer 403 to others, 200 to members", async () => {
    const history = bigChannel({ private: true });
    history.sentMany(owner, 2);
    const { channelId, catchUp, read } = await setUp(history);
    await catchUp();
    for (const path of [`channels/${channelId}`, `channels/${channelId}/pages/0`]) {
      expect((await read(path, "u-stranger")).status, path).to.equal(403);
      expect((await read(path, member(7))).status, path).to.equal(200);
    }
  });

  it("stay apart once apart, however many leave: the layout is the stream's, so a rebuild in one run stores the very same documents", async () => {
    const history = bigChannel();
    const live = await setUp(history);
    await live.catchUp();
    history.sent(owner, "cccccccc-0000-4000-8000-000000000002");
    await live.catchUp();
    for (let i = 0; i < 10; i++) history.left(member(i));
    await live.catchUp();
    history.sent(owner, "cccccccc-0000-4000-8000-000000000003");
    await live.catchUp();
    expect((await live.views.get<StoredHead>(viewKeys.head(live.channelId)))!.doc).not.to.have.property("members");

    const rebuilt = await setUp(history);
    await rebuilt.catchUp();
    expect(rebuilt.root.snapshot()).to.deep.equal(live.root.snapshot());
    expect(JSON.parse((await live.read(`channels/${live.channelId}`)).body)).to.deep.equal(live.expected());
  });

  it("move out of a head stored with them inside (before they could be apart) on the channel's next run", async () => {
    const history = bigChannel();
    const { root, views, channelId, catchUp, read, expected } = await setUp(history);
    await catchUp();
    // The head as versions before stored it: the members inside, however many.
    const stored = await views.get<StoredHead>(viewKeys.head(channelId));
    await views.put(viewKeys.head(channelId), JSON.stringify(expected()), { etag: stored!.etag });
    const members = `channel/g0/${viewKeys.members(channelId)}`;
    root.objects.delete(members);
    expect(JSON.parse((await read(`channels/${channelId}`)).body)).to.deep.equal(expected());

    history.sent(owner, "cccccccc-0000-4000-8000-000000000004");
    await catchUp();
    expect((await views.get<StoredHead>(viewKeys.head(channelId)))!.doc).not.to.have.property("members");
    expect(JSON.parse(root.objects.get(members)!.body).members).to.have.length(membersInline + 1);
    expect(JSON.parse((await read(`channels/${channelId}`)).body)).to.deep.equal(expected());
  });
});
