/**
 * A thread in the browser (CONTRACT §9): the replies read from its views merged with the
 * events pushed about it (at least once, in any order, maybe before the read finished), our
 * replies sent through the outbox, and the root's summary in the channel's list.
 */
import { expect } from "chai";
import type { ChannelEvent } from "../../functions/domain/events";
import { ApiError } from "../../web/src/api/apiError";
import { rowsOf } from "../../web/src/state/outbox";
import * as thread from "../../web/src/state/thread";
import { ChannelHistory, channelIds, messageId } from "../support/domainFixtures";
import { ben, general, me, setupChatStore as setup } from "../support/chatStoreFixture";

const root = messageId(1);
const reply = (n: number) => messageId(100 + n);

/** Ann's root message (seq 2) with replies r1, r2, r3 (seqs 3, 4, 5). */
function history() {
  const h = new ChannelHistory(channelIds.general);
  const created = h.created("u-ann");
  const sent = h.sent("u-ann", root, "lunch?");
  const r1 = h.replied("u-ben", reply(1), root, "me");
  const r2 = h.replied("u-ann", reply(2), root, "me too");
  const r3 = h.replied("u-ben", reply(3), root, "and me");
  return { h, created, sent, r1, r2, r3 };
}

/** The replies as the views serve them after the channel's head at `seq`. */
function viewsAt(events: readonly ChannelEvent[], seq: number) {
  const fromViews = events.filter((e) => e.seq <= seq).reduce(thread.receive, thread.emptyThread(general, root));
  return { seq, replies: thread.repliesOf(fromViews) };
}

const texts = (t: thread.Thread) => thread.repliesOf(t).map((m) => m.text);
const start = () => thread.emptyThread(general, root);

describe("web thread state", () => {
  it("shows the views' replies with the events pushed after the head they were read at, in seq order", () => {
    const { h, r3 } = history();
    const edit = h.edited("u-ben", reply(1), "me, at noon");
    const t = [r3, edit].reduce(thread.receive, thread.rebase(start(), viewsAt(h.events, 4)));
    expect(thread.repliesOf(t).map((m) => [m.messageId, m.text, m.editedAt !== undefined])).to.deep.equal([
      [reply(1), "me, at noon", true],
      [reply(2), "me too", false],
      [reply(3), "and me", false],
    ]);
  });

  it("keeps pushes that came before the read finished, and does not show a reply twice when the views already hold it", () => {
    const { h, r2, r3 } = history();
    const early = [r3, r2].reduce(thread.receive, start());
    expect(texts(early)).to.deep.equal(["me too", "and me"]); // in seq order, though pushed out of order
    // Read after a head at seq 4: r3 (seq 5) stays; r2 is in the views and is not added again.
    expect(texts(thread.rebase(early, viewsAt(h.events, 4)))).to.deep.equal(["me", "me too", "and me"]);
    // The views ran ahead of the head read before them (r3 already served): still once each.
    const ahead = { seq: 4, replies: viewsAt(h.events, 5).replies };
    expect(texts(thread.rebase(early, ahead))).to.deep.equal(["me", "me too", "and me"]);
  });

  it("drops a duplicate push and one the views already cover", () => {
    const { h, r1, r3 } = history();
    const once = thread.receive(thread.rebase(start(), viewsAt(h.events, 4)), r3);
    expect(thread.receive(once, r3)).to.deep.equal(once);
    expect(thread.receive(once, r1)).to.equal(once);
    expect(texts(once)).to.deep.equal(["me", "me too", "and me"]);
  });

  it("applies edits, deletions and reactions of replies, folded again over views that held them without harm", () => {
    const { h } = history();
    const changes = [
      h.reacted("u-ann", reply(1), "tada"),
      h.reacted("u-ben", reply(1), "tada"),
      h.unreacted("u-ann", reply(1), "tada"),
      h.deleted("u-ann", reply(2)),
      h.edited("u-ben", reply(3), "and me, late"),
    ];
    const expected = [
      { text: "me", reactions: [{ emoji: "tada", count: 1, userIds: ["u-ben"] }], deleted: undefined },
      { text: "", reactions: undefined, deleted: true },
      { text: "and me, late", reactions: undefined, deleted: undefined },
    ];
    const shape = (t: thread.Thread) => thread.repliesOf(t).map((m) => ({ text: m.text, reactions: m.reactions, deleted: m.deleted }));
    expect(shape(changes.reduce(thread.receive, thread.rebase(start(), viewsAt(h.events, 5))))).to.deep.equal(expected);
    // Views read after the head at seq 5 that already hold every change: the same replies.
    expect(shape(changes.reduce(thread.receive, thread.rebase(start(), { seq: 5, replies: viewsAt(h.events, 99).replies })))).to.deep.equal(expected);
  });

  it("ignores events of other threads, of the channel's own messages and of other channels", () => {
    const { h } = history();
    const other = h.sent("u-ben", messageId(2), "coffee?");
    const elsewhere = h.replied("u-ben", reply(9), messageId(2), "yes");
    const edit = h.edited("u-ben", messageId(2), "coffee now?");
    const t = thread.rebase(start(), viewsAt(h.events, 5));
    expect([other, elsewhere, edit].reduce(thread.receive, t)).to.equal(t);
    const random = new ChannelHistory(channelIds.random);
    random.created("u-ann");
    random.sent("u-ann", root, "same id elsewhere");
    expect(thread.receive(t, random.replied("u-ann", reply(7), root, "not ours"))).to.equal(t);
  });

  it("ignores a read older than the one it holds", () => {
    const { h } = history();
    const t = thread.rebase(start(), viewsAt(h.events, 5));
    expect(thread.rebase(t, viewsAt(h.events, 3))).to.equal(t);
  });
});

describe("web thread state in the chat store", () => {
  it("turns a pushed reply into its root's 'N replies' in the channel's list, never a message of its own", async () => {
    const { timers, h, store, rows } = await setup();
    store.receive(h.sent(ben, root, "lunch?"));
    store.open(general);
    await timers.advance(0);
    store.receive(h.replied(ben, reply(1), root, "me"));
    store.receive(h.replied(me.userId, reply(2), root, "me too"));
    expect(rows().map((r) => [r.text, r.replyCount, r.replyUserIds])).to.deep.equal([["lunch?", 2, [ben, me.userId]]]);
  });

  it("opens a thread with every page of its views, and pushes that came before the read (even before it opened)", async () => {
    const { api, timers, h, store } = await setup();
    store.receive(h.sent(ben, root, "lunch?"));
    for (let i = 0; i < 55; i++) store.receive(h.replied(ben, reply(i), root, `reply ${i}`));
    store.open(general);
    await timers.advance(0);
    // The views lag: the last two replies are only known from their pushes, one of them pushed before the thread opened.
    api.views.lag.set(general, h.events.at(-1)!.seq);
    store.receive(h.replied(me.userId, reply(55), root, "reply 55"));
    store.threads.open(general, root);
    store.receive(h.replied(ben, reply(56), root, "reply 56"));
    store.receive(h.events.at(-1)!); // again: pushes come at least once
    await timers.advance(0);
    const open = store.threads.getState()!;
    expect(open.loaded).to.equal(true);
    expect(open.replies.map((m) => m.text)).to.deep.equal(Array.from({ length: 57 }, (_, i) => `reply ${i}`));
    expect(api.views.reads.filter((p) => p.includes("/threads/"))).to.include.members([`channels/${general}/threads/${root}/pages/0`, `channels/${general}/threads/${root}/pages/1`]);
  });

  it("shows a thread with no replies yet (its views answer 404) and the replies pushed since", async () => {
    const { timers, h, store } = await setup();
    store.receive(h.sent(ben, root, "lunch?"));
    store.threads.open(general, root);
    await timers.advance(0);
    expect(store.threads.getState()).to.include({ loaded: true, problem: undefined });
    store.receive(h.replied(ben, reply(1), root, "me"));
    expect(store.threads.getState()!.replies.map((m) => m.text)).to.deep.equal(["me"]);
  });

  it("reads the thread again when the connection comes back, catching what was missed", async () => {
    const { timers, h, store } = await setup();
    store.receive(h.sent(ben, root, "lunch?"));
    store.threads.open(general, root);
    await timers.advance(0);
    h.replied(ben, reply(1), root, "missed while offline");
    store.reconnected();
    await timers.advance(0);
    expect(store.threads.getState()!.replies.map((m) => m.text)).to.deep.equal(["missed while offline"]);
  });

  it("sends a reply at once as sending, with threadId and its own Idempotency-Key, kept out of the channel's list, and holds it once answered, before its push", async () => {
    const { api, timers, h, store, rows } = await setup({ push: false });
    store.receive(h.sent(ben, root, "lunch?"));
    store.open(general);
    store.threads.open(general, root);
    await timers.advance(0);
    const serve = api.onPost;
    api.onPost = () => {
      api.onPost = serve;
      throw new ApiError(503, "unavailable", "Try again.");
    };
    store.writes.send(general, "  count me in  ", root);
    const threadRows = () => rowsOf(store.threads.getState()!.replies, store.getState().outbox, general, root);
    expect(threadRows().map((r) => [r.text, r.status])).to.deep.equal([["count me in", "sending"]]);
    expect(rows().map((r) => r.text)).to.deep.equal(["lunch?"]);
    await timers.advance(10_000);
    expect(api.posts.map((p) => p.body)).to.deep.equal([0, 1].map(() => ({ type: "message_sent", channelId: general, messageId: api.posts[0]!.body.messageId, text: "count me in", threadId: root })));
    expect(new Set(api.posts.map((p) => p.idempotencyKey)).size).to.equal(1);
    // Answered, not pushed back: the channel's timeline caught up from the views, and the reply stays in the thread.
    expect(store.getState().outbox).to.deep.equal([]);
    expect(threadRows().map((r) => [r.text, r.status, r.userId])).to.deep.equal([["count me in", undefined, me.userId]]);
    expect(rows().map((r) => [r.text, r.replyCount])).to.deep.equal([["lunch?", 1]]);
  });

  it("shows a refused reply as not sent, in the thread only", async () => {
    const { api, timers, h, store, rows } = await setup();
    store.receive(h.sent(ben, root, "lunch?"));
    store.open(general);
    store.threads.open(general, root);
    await timers.advance(0);
    api.onPost = () => {
      throw new ApiError(404, "message_not_found", "No such message.");
    };
    store.writes.send(general, "too late", root);
    await timers.advance(0);
    const threadRows = rowsOf(store.threads.getState()!.replies, store.getState().outbox, general, root);
    expect(threadRows.map((r) => [r.text, r.status, r.error])).to.deep.equal([["too late", "failed", "No such message."]]);
    expect(rows().map((r) => r.text)).to.deep.equal(["lunch?"]);
  });

  it("does not take our own reply (say, from another tab) for reading the channel up to its root", async () => {
    const { timers, h, store, sidebar } = await setup();
    store.receive(h.sent(ben, root, "lunch?"));
    store.receive(h.sent(ben, messageId(2), "anyone?"));
    store.open(general);
    await timers.advance(0);
    store.setAtLatest(general, true);
    store.open(undefined);
    await timers.advance(0);
    store.receive(h.replied(me.userId, reply(1), root, "me"));
    store.receive(h.sent(ben, messageId(3), "12:30 then"));
    await timers.advance(0);
    expect(sidebar().map((c) => c.unread)).to.deep.equal([1]);
  });
});
