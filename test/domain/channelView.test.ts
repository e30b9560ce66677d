/** The channel view (CONTRACT §5): a head and fixed-size pages; sealed pages are never rewritten. */
import { expect } from "chai";
import type { ChannelEvent } from "../../functions/domain/events";
import {
  applyChannelEvent,
  type ChannelPage,
  type ChannelViews,
  documentsFor,
  mergeEdits,
  type PageMessage,
  pageSize,
} from "../../functions/domain/projections/channel";
import { ChannelHistory, channelIds, messageId } from "../support/domainFixtures";

const channelId = channelIds.general;
const [ann, ben] = ["u-ann", "u-ben"];

function fold(events: readonly ChannelEvent[], views: ChannelViews = { head: undefined, pages: new Map(), edits: new Map() }): ChannelViews {
  for (const event of events) applyChannelEvent(views, event);
  return views;
}
const copy = (views: ChannelViews): ChannelViews => structuredClone(views);

/** The page entry of a message as sent, read off its event. */
function entry(events: readonly ChannelEvent[], id: string): PageMessage {
  const sent = events.find((e) => e.type === "message_sent" && e.messageId === id);
  if (sent?.type !== "message_sent") throw new Error(`no message ${id}`);
  return { seq: sent.seq, messageId: id, userId: sent.userId, text: sent.text, sentAt: sent.timestamp };
}
const page = (events: readonly ChannelEvent[], n: number, ids: string[]): ChannelPage => ({ channelId, page: n, messages: ids.map((id) => entry(events, id)) });
const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => messageId(from + i));

/** A channel whose page 0 is sealed (exactly `pageSize` messages, ids 0…pageSize-1). */
function sealedChannel() {
  const h = new ChannelHistory(channelId);
  h.created(ann);
  h.joined(ben);
  h.sentMany(ann, pageSize);
  return h;
}

describe("channel view", () => {
  it("keeps a fixed page size of 50", () => expect(pageSize).to.equal(50));

  it("starts a head with exactly the contract's fields from channel_created, then follows members (and keeps what happened as activity)", () => {
    const h = new ChannelHistory(channelId);
    const created = h.created(ann, { name: "general", topic: "all things", private: true });
    expect(fold(h.events).head).to.deep.equal({
      channelId, kind: "channel", name: "general", topic: "all things", private: true, createdBy: ann, createdAt: created.timestamp,
      members: [ann], lastSeq: 1, messageCount: 0, pageSize: 50, pageCount: 0,
    });
    const e = [h.joined(ann, ben), h.joined(ann, "u-cat"), h.left(ben)];
    expect(fold(h.events).head).to.deep.equal({
      channelId, kind: "channel", name: "general", topic: "all things", private: true, createdBy: ann, createdAt: created.timestamp,
      members: [ann, "u-cat"], lastSeq: 4, messageCount: 0, pageSize: 50, pageCount: 0,
      activity: [
        { seq: 2, type: "user_joined_channel", userId: ann, at: e[0]!.timestamp, memberId: ben },
        { seq: 3, type: "user_joined_channel", userId: ann, at: e[1]!.timestamp, memberId: "u-cat" },
        { seq: 4, type: "user_left_channel", userId: ben, at: e[2]!.timestamp, memberId: ben },
      ],
    });
  });

  it("follows renames, topics and removals by the creator; keeps only the latest activity", () => {
    const h = new ChannelHistory(channelId);
    h.created(ann);
    h.joined(ben);
    h.renamed(ben, "random");
    h.topicSet(ann, "Lunch plans");
    h.left(ann, ben);
    const head = fold(h.events).head!;
    expect(head).to.deep.include({ name: "random", topic: "Lunch plans", members: [ann] });
    expect(head.activity!.map((a) => a.type)).to.deep.equal(["user_joined_channel", "channel_renamed", "channel_topic_set", "user_left_channel"]);
    expect(head.activity![3]).to.deep.include({ userId: ann, memberId: ben });
    for (let i = 0; i < 30; i++) h.topicSet(ann, `topic ${i}`);
    const many = fold(h.events).head!.activity!;
    expect(many).to.have.length(20);
    expect(many.at(-1)).to.deep.include({ topic: "topic 29", seq: h.events.length });
  });

  it("puts messages on page 0 in sending order and counts them in the head", () => {
    const h = new ChannelHistory(channelId);
    h.created(ann);
    h.joined(ben);
    h.sent(ann, messageId(0), "first");
    h.sent(ben, messageId(1), "second");
    const views = fold(h.events);
    expect(views.head).to.deep.include({ lastSeq: 4, messageCount: 2, pageCount: 1 });
    expect(views.pages.get(0)).to.deep.equal({
      channelId, page: 0,
      messages: [
        { seq: 3, messageId: messageId(0), userId: ann, text: "first", sentAt: h.events[2]!.timestamp },
        { seq: 4, messageId: messageId(1), userId: ben, text: "second", sentAt: h.events[3]!.timestamp },
      ],
    });
    expect([...views.edits.keys()]).to.deep.equal([]);
  });

  it("holds messages n*pageSize … n*pageSize+pageSize-1 on page n", () => {
    const h = sealedChannel();
    h.sentMany(ben, 3, pageSize);
    const views = fold(h.events);
    expect(views.head).to.deep.include({ messageCount: pageSize + 3, pageCount: 2 });
    expect([...views.pages.keys()]).to.deep.equal([0, 1]);
    expect(views.pages.get(0)).to.deep.equal(page(h.events, 0, ids(0, pageSize)));
    expect(views.pages.get(1)).to.deep.equal(page(h.events, 1, ids(pageSize, 3)));
  });

  it("edits a message of an open page in the page itself", () => {
    const h = new ChannelHistory(channelId);
    h.created(ann);
    h.sentMany(ann, 2);
    const edit = h.edited(ann, messageId(1), "better");
    const views = fold(h.events);
    expect(views.pages.get(0)!.messages[1]).to.deep.equal({ ...entry(h.events, messageId(1)), text: "better", editedAt: edit.timestamp });
    expect(views.pages.get(0)!.messages[0]).to.deep.equal(entry(h.events, messageId(0)));
    expect(views.edits.size).to.equal(0);
    expect(views.head).to.deep.include({ lastSeq: edit.seq, messageCount: 2 });
  });

  it("leaves a tombstone for a deleted message of an open page", () => {
    const h = new ChannelHistory(channelId);
    h.created(ann);
    h.sentMany(ann, 2);
    h.deleted(ann, messageId(0));
    const { seq, sentAt } = entry(h.events, messageId(0));
    expect(fold(h.events).pages.get(0)!.messages[0]).to.deep.equal({ seq, messageId: messageId(0), userId: ann, text: "", sentAt, deleted: true });
  });

  it("seals a page when full: it reads the edit of a sealed page's message from the edits document and leaves the page unchanged", () => {
    const h = sealedChannel();
    const views = fold(h.events);
    const sealed = views.pages.get(0)!;
    const before = structuredClone(sealed);
    const edit = h.edited(ann, messageId(3), "later");
    expect(documentsFor(views.head, edit)).to.deep.equal({ page: 0, edits: 0 });
    fold([edit], views);
    expect(views.pages.get(0)).to.equal(sealed);
    expect(views.pages.get(0)).to.deep.equal(before);
    expect(views.edits.get(0)).to.deep.equal({ channelId, page: 0, edits: [{ messageId: messageId(3), text: "later", editedAt: edit.timestamp }], lastSeq: edit.seq });
    const merged = mergeEdits(sealed, views.edits.get(0));
    expect(merged.messages[3]).to.deep.equal({ ...before.messages[3]!, text: "later", editedAt: edit.timestamp });
    expect(merged).to.deep.equal({ ...before, messages: before.messages.map((m, i) => (i === 3 ? merged.messages[3] : m)) });
    expect(views.head).to.deep.include({ lastSeq: edit.seq, messageCount: pageSize, pageCount: 1 });
  });

  it("records a delete on a sealed page as the latest change of that message, merged as a tombstone", () => {
    const h = sealedChannel();
    h.edited(ann, messageId(7), "first edit");
    h.edited(ann, messageId(8), "kept");
    const kept = h.events.at(-1)!.timestamp;
    h.deleted(ann, messageId(7));
    const views = fold(h.events);
    expect(views.pages.get(0)).to.deep.equal(page(h.events, 0, ids(0, pageSize)));
    expect(views.edits.get(0)!.edits).to.deep.equal([
      { messageId: messageId(7), text: "", deleted: true },
      { messageId: messageId(8), text: "kept", editedAt: kept },
    ]);
    const { seq, sentAt } = entry(h.events, messageId(7));
    const merged = mergeEdits(views.pages.get(0)!, views.edits.get(0));
    expect(merged.messages[7]).to.deep.equal({ seq, messageId: messageId(7), userId: ann, text: "", sentAt, deleted: true });
    expect(merged.messages[8]).to.include({ text: "kept", editedAt: kept });
  });

  it("keeps a tombstone final on a sealed page, even if a stray edit of it is folded later", () => {
    const h = new ChannelHistory(channelId);
    h.created(ann);
    h.sentMany(ann, 2);
    h.deleted(ann, messageId(0)); // deleted while page 0 is open
    h.sentMany(ann, pageSize - 2, 2);
    h.deleted(ann, messageId(1)); // deleted once page 0 is sealed
    h.edited(ann, messageId(0), "stray");
    h.edited(ann, messageId(1), "stray");
    const views = fold(h.events);
    expect(views.edits.get(0)!.edits).to.deep.equal([{ messageId: messageId(1), text: "", deleted: true }]);
    const merged = mergeEdits(views.pages.get(0)!, views.edits.get(0));
    expect(merged.messages.slice(0, 2).map((m) => [m?.text, m?.deleted])).to.deep.equal([["", true], ["", true]]);
  });

  it("keeps editing the open page in place while an earlier page is sealed", () => {
    const h = sealedChannel();
    h.sentMany(ben, 1, pageSize);
    const edit = h.edited(ben, messageId(pageSize), "open page");
    const views = fold(h.events);
    expect(views.pages.get(1)!.messages[0]).to.include({ text: "open page", editedAt: edit.timestamp });
    expect(views.edits.size).to.equal(0);
  });

  it("merges nothing when a page has no edits document", () => {
    const sealed = fold(sealedChannel().events).pages.get(0)!;
    expect(mergeEdits(sealed, undefined)).to.equal(sealed);
  });

  it("changes nothing when the same events are applied again", () => {
    const h = sealedChannel();
    h.sentMany(ben, 2, pageSize);
    h.edited(ann, messageId(1), "sealed edit");
    h.deleted(ann, messageId(2));
    h.edited(ben, messageId(pageSize), "open edit");
    h.deleted(ben, messageId(pageSize + 1));
    h.left(ben);
    const views = fold(h.events);
    const once = copy(views);
    fold(h.events, views);
    for (const event of h.events) fold([event, event], views);
    expect(views).to.deep.equal(once);
  });

  it("lands on the same documents when a crashed run already wrote a page but not the head", () => {
    const h = sealedChannel();
    h.sentMany(ben, 1, pageSize);
    const tail = [h.sent(ben, messageId(pageSize + 1)), h.edited(ben, messageId(pageSize), "x"), h.edited(ann, messageId(0), "y")];
    for (const [i, event] of tail.entries()) {
      const before = fold(h.events.slice(0, h.events.length - tail.length + i));
      const done = fold([event], copy(before));
      const crashed = copy(done);
      crashed.head = before.head;
      expect(fold([event], crashed)).to.deep.equal(done);
    }
  });

  it("lands on the same edits document, entry order included, when a run wrote it after several changes but not the head", () => {
    const h = sealedChannel();
    const before = fold(h.events);
    const changes = [h.edited(ann, messageId(0), "first"), h.deleted(ann, messageId(1)), h.edited(ann, messageId(2), "second")];
    const done = fold(changes, copy(before));
    const crashed = copy(done);
    crashed.head = before.head; // its edits document went in, its head did not: the next run folds the same events again
    expect(JSON.stringify(fold(changes, crashed).edits.get(0))).to.equal(JSON.stringify(done.edits.get(0)));
  });
});
