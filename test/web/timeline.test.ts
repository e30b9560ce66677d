/** A channel in the browser: pushed events applied with the shared folds, in seq order, once each. */
import { expect } from "chai";
import fc from "fast-check";
import type { ChannelEvent } from "../../functions/domain/events";
import { pageSize } from "../../functions/domain/projections/channel";
import * as timeline from "../../web/src/state/timeline";
import { ChannelHistory, channelIds, messageId } from "../support/domainFixtures";
import { FakeViews } from "../support/browserFakes";

const channelId = channelIds.general;
const [ann, ben] = ["u-ann", "u-ben"];

/** A timeline following pages, started from the views at `seq`. */
async function openedAt(history: ChannelHistory, seq: number): Promise<timeline.Timeline> {
  const views = new FakeViews();
  views.add(history);
  views.lag.set(channelId, seq);
  const head = views.headOf(channelId);
  const pages = head.pageCount ? [await views.view<never>(`channels/${channelId}/pages/${head.pageCount - 1}`)] : [];
  return timeline.rebase({ ...timeline.emptyTimeline(channelId), pages: new Map() }, { head, pages });
}

const texts = (t: timeline.Timeline) => timeline.messagesOf(t).map((m) => (m.deleted ? "(deleted)" : m.text));
const receiveAll = (t: timeline.Timeline, events: readonly ChannelEvent[]) => events.reduce(timeline.receive, t);

function chat(): ChannelHistory {
  const h = new ChannelHistory(channelId);
  h.created(ann);
  h.joined(ben);
  return h;
}

describe("web timeline", () => {
  it("applies pushed messages, edits and deletions with the channel projection's folds", async () => {
    const h = chat();
    const t0 = await openedAt(h, 2);
    h.sent(ann, messageId(1), "hello");
    h.sent(ben, messageId(2), "hi ann");
    h.edited(ann, messageId(1), "hello, ben");
    h.deleted(ben, messageId(2));
    const t = receiveAll(t0, h.events.slice(2));
    expect(texts(t)).to.deep.equal(["hello, ben", "(deleted)"]);
    expect(timeline.messagesOf(t)[0]?.editedAt).to.equal(h.events[4]?.timestamp);
    expect(t.head).to.include({ lastSeq: 6, messageCount: 2 });
  });

  it("drops an event it already applied (at-least-once delivery)", async () => {
    const h = chat();
    h.sent(ann, messageId(1), "once");
    const t0 = await openedAt(h, 2);
    const once = timeline.receive(t0, h.events[2]!);
    expect(timeline.receive(once, h.events[2]!)).to.equal(once);
    expect(timeline.receive(once, h.events[1]!)).to.equal(once);
    expect(texts(once)).to.deep.equal(["once"]);
  });

  it("holds an event that follows a gap, and is behind until the gap is filled", async () => {
    const h = chat();
    h.sent(ann, messageId(1), "lost");
    h.sent(ann, messageId(2), "after the gap");
    const t0 = await openedAt(h, 2);
    const t = timeline.receive(t0, h.events[3]!);
    expect(texts(t)).to.deep.equal([]);
    expect(timeline.isBehind(t)).to.equal(true);
    expect(t.knownSeq).to.equal(4);
    const filled = timeline.receive(t, h.events[2]!);
    expect(texts(filled)).to.deep.equal(["lost", "after the gap"]);
    expect(timeline.isBehind(filled)).to.equal(false);
    expect(filled.waiting.size).to.equal(0);
  });

  it("fills a gap from a snapshot of the views, then applies what waited after it", async () => {
    const h = chat();
    h.sent(ann, messageId(1), "lost");
    h.sent(ann, messageId(2), "seen");
    h.sent(ann, messageId(3), "after");
    const t0 = await openedAt(h, 2);
    const t = receiveAll(t0, [h.events[3]!, h.events[4]!]);
    const snapshot = await openedAt(h, 3);
    const filled = timeline.rebase(t, { head: snapshot.head!, pages: [...snapshot.pages!.values()] });
    expect(texts(filled)).to.deep.equal(["lost", "seen", "after"]);
    expect(filled.head?.lastSeq).to.equal(5);
    expect(timeline.isBehind(filled)).to.equal(false);
  });

  it("replays onto a snapshot older than its head the events it applied since, losing nothing", async () => {
    const h = chat();
    h.sent(ann, messageId(1), "first");
    h.sent(ben, messageId(2), "second");
    h.edited(ann, messageId(1), "first, edited");
    const headOnly = receiveAll({ ...timeline.emptyTimeline(channelId), head: (await openedAt(h, 2)).head }, h.events.slice(2));
    const older = await openedAt(h, 3);
    const t = timeline.rebase(headOnly, { head: older.head!, pages: [...older.pages!.values()] });
    expect(texts(t)).to.deep.equal(["first, edited", "second"]);
    expect(t.head?.lastSeq).to.equal(5);
  });

  it("ignores a snapshot older than the events it can replay", async () => {
    const h = chat();
    h.sentMany(ann, 3, 1);
    const t = await openedAt(h, 5);
    const older = await openedAt(h, 2);
    expect(timeline.rebase(t, { head: older.head!, pages: [] })).to.equal(t);
  });

  it("starts a channel from its creation event without reading anything", () => {
    const h = chat();
    const t = timeline.receive({ ...timeline.emptyTimeline(channelId), pages: new Map() }, h.events[0]!);
    expect(t.head).to.include({ name: "general", lastSeq: 1, pageCount: 0 });
    expect(timeline.hasEarlier(t)).to.equal(false);
  });

  it("keeps events that arrive before the head is known, for the first snapshot", async () => {
    const h = chat();
    h.sent(ben, messageId(1), "early");
    const t = timeline.receive(timeline.emptyTimeline(channelId), h.events[2]!);
    expect(t.head).to.equal(undefined);
    expect(timeline.isBehind(t)).to.equal(true);
    const snapshot = await openedAt(h, 2);
    expect(texts(timeline.rebase(t, { head: snapshot.head!, pages: [] }))).to.deep.equal(["early"]);
  });

  it("loads earlier pages in front, and merges edits pushed for a sealed page before it was loaded", async () => {
    const h = chat();
    h.sentMany(ann, pageSize + 2, 0);
    const t0 = await openedAt(h, h.events.length);
    expect(t0.oldestPage).to.equal(1);
    expect(timeline.hasEarlier(t0)).to.equal(true);
    h.edited(ann, messageId(0), "edited while not loaded");
    const t1 = timeline.receive(t0, h.events[h.events.length - 1]!);
    const views = new FakeViews();
    views.add(h);
    views.lag.set(channelId, t0.head!.lastSeq);
    const t2 = timeline.addEarlierPage(t1, await views.view(`channels/${channelId}/pages/0`));
    const all = timeline.messagesOf(t2);
    expect(all).to.have.length(pageSize + 2);
    expect(all[0]?.text).to.equal("edited while not loaded");
    expect(timeline.hasEarlier(t2)).to.equal(false);
  });

  it("follows only the head when pages are dropped, and counts messages there", async () => {
    const h = chat();
    const t0 = timeline.dropPages(await openedAt(h, 2));
    h.sent(ben, messageId(1));
    const t = timeline.receive(t0, h.events[2]!);
    expect(t.pages).to.equal(undefined);
    expect(t.head?.messageCount).to.equal(1);
    expect(timeline.messagesOf(t)).to.deep.equal([]);
  });

  it("ends in the same state whatever the order and repetition of deliveries, once the gaps are filled", async () => {
    const h = chat();
    h.sentMany(ann, 4, 1);
    h.edited(ann, messageId(2), "two, edited");
    h.deleted(ann, messageId(3));
    h.sent(ben, messageId(9), "last");
    const start = await openedAt(h, 2);
    const expected = receiveAll(start, h.events.slice(2));
    const later = h.events.slice(2);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: later.length - 1 }), { minLength: later.length, maxLength: later.length * 3 }), async (order) => {
        const deliveries = [...order.map((i) => later[i]!), ...later];
        const t = receiveAll(start, deliveries);
        expect(texts(t)).to.deep.equal(texts(expected));
        expect(t.head).to.deep.equal(expected.head);
      }),
    );
  });
});
