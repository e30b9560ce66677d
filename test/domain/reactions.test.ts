/**
 * Reactions on the channel's pages (CONTRACT §10): per emoji in the order first added, who
 * reacted in order, gone at 0; on the open page in the page, on sealed pages through the
 * edits document readers merge in; a tombstone keeps none.
 */
import { expect } from "chai";
import type { ChannelEvent } from "../../functions/domain/events";
import { applyChannelEvent, type ChannelViews, mergeEdits, type PageMessage, pageSize } from "../../functions/domain/projections/channel";
import { limits } from "../../functions/domain/limits";
import { ChannelHistory, channelIds, messageId } from "../support/domainFixtures";

const channelId = channelIds.general;
const [ann, ben, cat] = ["u-ann", "u-ben", "u-cat"];

function fold(events: readonly ChannelEvent[], views: ChannelViews = { head: undefined, pages: new Map(), edits: new Map() }): ChannelViews {
  for (const event of events) applyChannelEvent(views, event);
  return views;
}
const copy = (views: ChannelViews): ChannelViews => structuredClone(views);

/** Message `n` as readers get it: its page with the page's edits merged in. */
function read(views: ChannelViews, n: number): PageMessage {
  const page = Math.floor(n / pageSize);
  const message = mergeEdits(views.pages.get(page)!, views.edits.get(page)).messages[n % pageSize];
  if (!message) throw new Error(`no message ${n}`);
  return message;
}

function channel(sealed: boolean) {
  const h = new ChannelHistory(channelId);
  h.created(ann);
  h.joined(ben);
  h.joined(cat);
  h.sentMany(ann, sealed ? pageSize : 3);
  return h;
}

for (const sealed of [false, true]) {
  describe(`reactions on ${sealed ? "a sealed page" : "the open page"}`, () => {
    it("lists each emoji in the order first added, who reacted in the order they did, with counts", () => {
      const h = channel(sealed);
      h.reacted(ben, messageId(1), "tada");
      h.reacted(cat, messageId(1), "thumbsup");
      h.reacted(ann, messageId(1), "tada");
      h.reacted(cat, messageId(1), "tada");
      expect(read(fold(h.events), 1).reactions).to.deep.equal([
        { emoji: "tada", count: 3, userIds: [ben, ann, cat] },
        { emoji: "thumbsup", count: 1, userIds: [cat] },
      ]);
      expect(read(fold(h.events), 0)).to.not.have.property("reactions");
    });

    it("takes a removed reaction out; an emoji whose count falls to 0 is gone, and added again comes last", () => {
      const h = channel(sealed);
      h.reacted(ben, messageId(2), "tada");
      h.reacted(cat, messageId(2), "+1");
      h.reacted(cat, messageId(2), "tada");
      h.unreacted(ben, messageId(2), "tada");
      expect(read(fold(h.events), 2).reactions).to.deep.equal([
        { emoji: "tada", count: 1, userIds: [cat] },
        { emoji: "+1", count: 1, userIds: [cat] },
      ]);
      h.unreacted(cat, messageId(2), "tada");
      expect(read(fold(h.events), 2).reactions).to.deep.equal([{ emoji: "+1", count: 1, userIds: [cat] }]);
      h.reacted(ben, messageId(2), "tada");
      expect(read(fold(h.events), 2).reactions!.map((r) => r.emoji)).to.deep.equal(["+1", "tada"]);
      h.unreacted(cat, messageId(2), "+1");
      h.unreacted(ben, messageId(2), "tada");
      const none = read(fold(h.events), 2);
      expect(none).to.not.have.property("reactions");
      expect(none).to.deep.equal(read(fold(channel(sealed).events), 2));
    });

    it("ignores adding a reaction one already has and removing one one has not: the pages and edits stay as they were", () => {
      const h = channel(sealed);
      h.reacted(ben, messageId(1), "tada");
      const views = fold(h.events);
      const before = copy(views);
      fold([h.reacted(ben, messageId(1), "tada"), h.unreacted(cat, messageId(1), "tada"), h.unreacted(cat, messageId(1), "smile")], views);
      expect(views.pages).to.deep.equal(before.pages);
      expect(views.edits).to.deep.equal(before.edits);
      expect(views.head!.lastSeq).to.equal(h.events.length);
    });

    it("keeps reactions through an edit, and a deleted message's tombstone has none (nor gets any later)", () => {
      const h = channel(sealed);
      h.reacted(ben, messageId(1), "tada");
      const edit = h.edited(ann, messageId(1), "better");
      h.reacted(cat, messageId(1), "eyes");
      expect(read(fold(h.events), 1)).to.deep.include({ text: "better", editedAt: edit.timestamp, reactions: [
        { emoji: "tada", count: 1, userIds: [ben] },
        { emoji: "eyes", count: 1, userIds: [cat] },
      ] });
      h.deleted(ann, messageId(1));
      h.reacted(ben, messageId(1), "cry"); // stored before the deletion was decided, folded after it
      const tombstone = read(fold(h.events), 1);
      expect(tombstone).to.include({ deleted: true, text: "" });
      expect(tombstone).to.not.have.property("reactions");
    });

    it("changes nothing when the same events are applied again", () => {
      const h = channel(sealed);
      h.reacted(ben, messageId(1), "tada");
      h.unreacted(ben, messageId(1), "tada");
      h.reacted(ben, messageId(1), "tada");
      h.reacted(cat, messageId(0), "x");
      const views = fold(h.events);
      const once = copy(views);
      for (const event of h.events) fold([event, event], views);
      expect(views).to.deep.equal(once);
    });
  });
}

describe("reactions on a sealed page", () => {
  it("go to the page's edits document and leave the sealed page as it was", () => {
    const h = channel(true);
    const views = fold(h.events);
    const sealed = views.pages.get(0)!;
    const react = h.reacted(ben, messageId(3), "tada");
    fold([react], views);
    expect(views.pages.get(0)).to.equal(sealed);
    expect(views.edits.get(0)).to.deep.equal({
      channelId, page: 0, edits: [{ messageId: messageId(3), reactions: [{ emoji: "tada", count: 1, userIds: [ben] }] }], lastSeq: react.seq,
    });
  });

  it("build on the reactions the message had when its page was sealed", () => {
    const h = channel(false);
    h.reacted(ben, messageId(1), "tada");
    h.sentMany(ann, pageSize - 3, 3); // page 0 is now sealed, with ben's reaction in it
    h.reacted(cat, messageId(1), "tada");
    const views = fold(h.events);
    expect(views.pages.get(0)!.messages[1]!.reactions).to.deep.equal([{ emoji: "tada", count: 1, userIds: [ben] }]);
    expect(read(views, 1).reactions).to.deep.equal([{ emoji: "tada", count: 2, userIds: [ben, cat] }]);
    h.unreacted(ben, messageId(1), "tada");
    h.unreacted(cat, messageId(1), "tada");
    const none = fold(h.events);
    expect(none.edits.get(0)!.edits).to.deep.equal([{ messageId: messageId(1), reactions: [] }]);
    expect(read(none, 1)).to.not.have.property("reactions");
  });

  it("lands on the same edits document when a run wrote it but not the head, and folds the same events again", () => {
    const h = channel(true);
    h.reacted(ben, messageId(0), "a");
    const before = fold(h.events);
    // Folded again over their own result, the removal and re-add would move `a` behind `b`, were the document's lastSeq not heeded.
    const changes = [h.unreacted(ben, messageId(0), "a"), h.reacted(ben, messageId(0), "a"), h.reacted(ben, messageId(0), "b"), h.edited(ann, messageId(0), "x")];
    const done = fold(changes, copy(before));
    expect(read(done, 0).reactions!.map((r) => r.emoji)).to.deep.equal(["a", "b"]);
    const crashed = copy(done);
    crashed.head = before.head;
    expect(JSON.stringify(fold(changes, crashed).edits.get(0))).to.equal(JSON.stringify(done.edits.get(0)));
  });

  it("are applied by a browser that has not loaded the page only once it has (the views then hold them)", () => {
    const h = channel(true);
    const views = fold(h.events);
    views.pages.delete(0);
    fold([h.reacted(ben, messageId(1), "tada")], views);
    expect(views.edits.get(0)).to.equal(undefined);
    fold([h.edited(ann, messageId(1), "later")], views);
    expect(views.edits.get(0)!.edits).to.deep.equal([{ messageId: messageId(1), text: "later", editedAt: h.events.at(-1)!.timestamp }]);
  });
});

describe("reactions past the limit of distinct emoji on a message", () => {
  it(`ignore a new emoji past ${limits.emojiPerMessage} on one message, and take more people on those it has`, () => {
    const h = channel(false);
    for (let i = 0; i < limits.emojiPerMessage + 5; i++) h.reacted(ann, messageId(0), `e${i}`);
    h.reacted(ben, messageId(0), "e0");
    const reactions = read(fold(h.events), 0).reactions ?? [];
    expect(reactions).to.have.length(limits.emojiPerMessage);
    expect(reactions.map((r) => r.emoji).at(-1)).to.equal(`e${limits.emojiPerMessage - 1}`);
    expect(reactions[0]).to.deep.equal({ emoji: "e0", count: 2, userIds: [ann, ben] });
  });
});
