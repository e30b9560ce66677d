/** Read state from the server's marks (CONTRACT §14): unread counts, the Mentions badge, marks sent only forward. */
import { expect } from "chai";
import type { ChannelPage } from "../../functions/domain/projections/channel";
import { ChatStore } from "../../web/src/state/chatStore";
import { countThrough, mergeMarks, unreadMentions } from "../../web/src/state/readMarks";
import { sidebarChannels } from "../../web/src/state/selectors";
import { FakeApi, FakeTimers } from "../support/browserFakes";
import { ChannelHistory, channelIds, messageId, userRenamed } from "../support/domainFixtures";

const me = { userId: "u-ann", name: "Ann" };
const ben = "u-ben";
const general = channelIds.general;

const page = (n: number, seqs: number[]): ChannelPage => ({
  channelId: general,
  page: n,
  messages: seqs.map((seq, i) => ({ seq, messageId: messageId(n * 10 + i), userId: ben, text: "", sentAt: "" })),
});

/** Ann's store with #general (Ben's, Ann in it, then `messages` of Ben's) and her server marks. */
async function setup(messages: number, readMarks: Record<string, number> | undefined) {
  const api = new FakeApi();
  const timers = new FakeTimers();
  const h = api.views.add(new ChannelHistory(general));
  h.created(ben);
  h.joined(me.userId);
  h.sentMany(ben, messages);
  const store = new ChatStore({ api, me, timers, newId: () => "00000000-0000-4000-8000-000000000001" });
  api.other = { users: { users: [me, { userId: ben, name: "Ben" }] }, "users/me": { channels: [general], readMarks }, channels: { channels: [] } };
  await store.start();
  await timers.advance(0);
  const unread = () => sidebarChannels(store.getState())[0]?.unread;
  return { api, timers, h, store, unread };
}

describe("web read state", () => {
  it("counts the messages up to a mark from the pages holding it, asking for an earlier page when they start after it", () => {
    expect(countThrough([page(1, [60, 61, 62])], 2, 61)).to.equal(4);
    expect(countThrough([page(1, [60, 61])], 2, 59)).to.equal(undefined);
    expect(countThrough([page(1, [60, 61]), page(0, [3, 5])], 2, 59)).to.equal(2);
    expect(countThrough([page(0, [3, 5])], 2, 2)).to.equal(0);
  });

  it("keeps the later mark of each channel, the same object when nothing moves", () => {
    const marks = { a: 5, b: 2 };
    expect(mergeMarks(marks, { a: 3 })).to.equal(marks);
    expect(mergeMarks(marks, { a: 3, b: 4, c: 1 })).to.deep.equal({ a: 5, b: 4, c: 1 });
  });

  it("counts a mention as unread only after its channel's mark", () => {
    const mentions = [
      { channelId: "a", seq: 4, sentAt: "2024-01-01T00:00:04Z" },
      { channelId: "a", seq: 9, sentAt: "2024-01-01T00:00:09Z" },
      { channelId: "b", seq: 2, sentAt: "2024-01-01T00:00:02Z" },
    ];
    expect(unreadMentions(mentions, { a: 4 }, undefined)).to.equal(2);
    expect(unreadMentions(mentions, { a: 9, b: 2 }, undefined)).to.equal(0);
    expect(unreadMentions(mentions, {}, "2024-01-01T00:00:05Z")).to.equal(1);
  });

  it("shows as unread the messages after the server's mark, read from another device", async () => {
    const { unread } = await setup(5, { [general]: 4 }); // created 1, joined 2, messages 3..7: read up to the second
    expect(unread()).to.equal(3);
  });

  it("clears the count when the server's mark moves on elsewhere (read on another device, then the tab is focused)", async () => {
    const { api, timers, store, unread } = await setup(5, { [general]: 4 });
    expect(unread()).to.equal(3);
    api.other["users/me"] = { channels: [general], readMarks: { [general]: 7 } };
    await store.refreshReadMarks();
    await timers.advance(0);
    expect(unread()).to.equal(0);
  });

  it("sends the mark once the open channel shows its latest message, a moment later and once for a burst", async () => {
    const { api, timers, h, store, unread } = await setup(3, { [general]: 3 });
    store.open(general);
    await timers.advance(0);
    await timers.advance(1000);
    expect(api.marksPut).to.deep.equal([]);
    store.setAtLatest(general, true);
    store.receive(h.sent(ben, messageId(100)));
    expect(unread()).to.equal(0);
    await timers.advance(1000);
    expect(api.marksPut).to.deep.equal([{ channelId: general, seq: 6 }]);
  });

  it("never sends a mark back, nor one the server already has", async () => {
    const { api, timers, store } = await setup(3, { [general]: 5 });
    store.open(general);
    store.setAtLatest(general, true);
    await timers.advance(1000);
    expect(api.marksPut).to.deep.equal([]);
  });

  it("names people by a pushed rename at once, and a users view that lags does not undo it", async () => {
    const { timers, store } = await setup(1, {});
    store.receive(userRenamed(ben, "Benjamin", 2));
    expect(store.getState().users.get(ben)).to.equal("Benjamin");
    await store.readUsers();
    await timers.advance(0);
    expect(store.getState().users.get(ben)).to.equal("Benjamin");
    store.receive(userRenamed(ben, "Old news", 2));
    expect(store.getState().users.get(ben)).to.equal("Benjamin");
  });

  it("lets go of a channel the creator removed us from, saying so", async () => {
    const { h, store } = await setup(1, {});
    store.open(general);
    store.receive(h.left(ben, me.userId));
    expect(store.getState().removedFrom).to.equal(general);
    expect(store.getState().notice).to.match(/Ben removed you from #/);
    expect(sidebarChannels(store.getState())).to.deep.equal([]);
  });
});
