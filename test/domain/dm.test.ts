/** Direct and group messages (CONTRACT §11): the DM's id from its member set, and the rules of a channel whose members are fixed. */
import { expect } from "chai";
import { decide, decideCreate } from "../../functions/domain/channel/decide";
import { decideOpenDm, type OpenDmInput } from "../../functions/domain/channel/dm";
import { dmChannelId, isNameBasedId } from "../../functions/domain/channel/dmChannelId";
import { foldChannel, initialChannelState } from "../../functions/domain/channel/state";
import { EventInput, type ChannelEvent } from "../../functions/domain/events";
import { applyChannelEvent, type ChannelViews } from "../../functions/domain/projections/channel";
import { applyToDirectory, emptyDirectory } from "../../functions/domain/projections/directory";
import { applyToUser, emptyUser, membershipChanges } from "../../functions/domain/projections/user";
import { evolveAudience, unknownAudience } from "../../functions/domain/projections/mentions";
import { audienceOf } from "../../functions/domain/audience";
import { ChannelHistory, messageId } from "../support/domainFixtures";

const [ann, ben, cat, dan] = ["u-ann", "u-ben", "u-cat", "u-dan"];
const eventId = "evt-new";
const now = "2024-02-02T10:00:00.000Z";
const open = (...memberIds: string[]): OpenDmInput => ({ type: "dm_opened", memberIds });
const ctx = (userId: string, memberIds: string[], unknownMembers: string[] = []) => ({ userId, eventId, now, channelId: dmChannelId([userId, ...memberIds]), unknownMembers });

function dm(opener = ann, others = [ben, cat]) {
  const h = new ChannelHistory(dmChannelId([opener, ...others]));
  h.dmOpened(opener, others);
  return h;
}
const stateOf = (events: readonly ChannelEvent[]) => foldChannel(initialChannelState, events);

describe("DM ids", () => {
  it("follow from the member set alone: any order, any opener, the same id", () => {
    const id = dmChannelId([ann, ben, cat]);
    for (const order of [[cat, ben, ann], [ben, ann, cat], [ann, cat, ben, ann]]) expect(dmChannelId(order)).to.equal(id);
    expect(dmChannelId([ann, ben])).to.not.equal(id);
    expect(dmChannelId([ann, cat])).to.not.equal(dmChannelId([ann, ben]));
  });

  it("are RFC 9562 version-5 UUIDs of the sorted ids (the uuid package's v5 gives the same)", () => {
    // uuid.v5("a b", dmNamespace), computed once with the uuid package.
    expect(dmChannelId(["b", "a"])).to.equal("eeb7afec-6fe2-5b60-894c-c5e24af3709c");
    expect(isNameBasedId(dmChannelId([ann, ben]))).to.equal(true);
    expect(isNameBasedId("aaaaaaaa-0000-4000-8000-000000000001")).to.equal(false);
  });
});

describe("decide: dm_opened", () => {
  it("opens a DM of the caller and the people named, in the channel the set gives", () => {
    expect(decideOpenDm(open(ben, cat), initialChannelState, ctx(ann, [ben, cat]))).to.deep.equal({
      type: "dm_opened", eventId, timestamp: now, userId: ann, channelId: dmChannelId([ann, ben, cat]), memberIds: [ben, cat],
    });
  });

  it("stores nothing when the set's DM is open already, whoever opened it and in whatever order", () => {
    const state = stateOf(dm(ann, [ben, cat]).events);
    expect(decideOpenDm(open(ben, cat), state, ctx(ann, [ben, cat]))).to.equal(undefined);
    expect(decideOpenDm(open(ann, cat), state, ctx(ben, [ann, cat]))).to.equal(undefined);
    expect(decideOpenDm(open(ben, ann), state, ctx(cat, [ben, ann]))).to.equal(undefined);
  });

  it("refuses an unknown person with 404 (user_not_found)", () => {
    expect(decideOpenDm(open(ben, dan), initialChannelState, ctx(ann, [ben, dan], [dan]))).to.deep.include({ status: 404, code: "user_not_found" });
  });

  it("refuses the caller's own id among the others (400)", () => {
    expect(decideOpenDm(open(ann, ben), initialChannelState, ctx(ann, [ann, ben]))).to.deep.include({ status: 400, code: "invalid_field" });
  });

  it("refuses 1–8 others only, each once (400 by the schema)", () => {
    const ok = (ids: string[]) => EventInput.safeParse({ type: "dm_opened", memberIds: ids }).success;
    expect(ok([ben])).to.equal(true);
    expect(ok(Array.from({ length: 8 }, (_, i) => `u-${i}`))).to.equal(true);
    expect(ok([])).to.equal(false);
    expect(ok(Array.from({ length: 9 }, (_, i) => `u-${i}`))).to.equal(false);
    expect(ok([ben, ben])).to.equal(false);
    expect(ok(["has space"])).to.equal(false);
    expect(EventInput.safeParse({ type: "dm_opened", memberIds: [ben], channelId: dmChannelId([ann, ben]) }).success).to.equal(false);
  });

  it("keeps name-based ids for DMs: channel_created may not take one (else a DM could be squatted)", () => {
    const squat = decideCreate({ type: "channel_created", name: "squat" }, initialChannelState, { userId: cat, eventId, now, channelId: dmChannelId([ann, ben]) });
    expect(squat).to.deep.include({ status: 400, code: "invalid_field" });
  });
});

describe("decide: in a DM", () => {
  const id = dmChannelId([ann, ben, cat]);
  const state = () => stateOf(dm().events);
  const base = (userId: string) => ({ userId, eventId, now });

  it("refuses joining, adding someone, leaving, removing, renaming and a topic with 403", () => {
    const inputs = [
      { type: "user_joined_channel", channelId: id },
      { type: "user_joined_channel", channelId: id, memberId: dan },
      { type: "user_left_channel", channelId: id },
      { type: "user_left_channel", channelId: id, memberId: ben },
      { type: "channel_renamed", channelId: id, name: "ours" },
      { type: "channel_topic_set", channelId: id, topic: "hi" },
    ] as const;
    for (const input of inputs) {
      expect(decide(input, state(), { ...base(ann), memberRegistered: true }), JSON.stringify(input)).to.deep.include({ status: 403, code: "forbidden" });
      expect(decide(input, state(), { ...base(dan), memberRegistered: true }), JSON.stringify(input)).to.deep.include({ status: 403 });
    }
  });

  it("lets every member send, and the author edit and delete, as in a channel; an outsider cannot post", () => {
    const h = dm();
    const sent = decide({ type: "message_sent", channelId: id, messageId: messageId(1), text: "hi" }, stateOf(h.events), base(cat));
    expect(sent).to.deep.include({ type: "message_sent", userId: cat, position: 0 });
    h.sent(cat, messageId(1));
    const facts = { author: cat, position: 0, deleted: false };
    expect(decide({ type: "message_edited", channelId: id, messageId: messageId(1), text: "yo" }, stateOf(h.events), { ...base(cat), message: facts })).to.deep.include({ type: "message_edited" });
    expect(decide({ type: "message_deleted", channelId: id, messageId: messageId(1) }, stateOf(h.events), { ...base(ben), message: facts })).to.deep.include({ status: 403, code: "not_author" });
    expect(decide({ type: "message_sent", channelId: id, messageId: messageId(2), text: "hi" }, stateOf(h.events), base(dan))).to.deep.include({ status: 403, code: "not_member" });
  });

  it("folds into a private state of kind dm whose members are the opener and the others", () => {
    expect(state()).to.deep.include({ exists: true, kind: "dm", name: "", private: true, createdBy: ann, members: [ann, ben, cat], membersSeq: 1 });
  });
});

describe("DM views", () => {
  it("head: kind dm, no name or topic, private, the members", () => {
    const h = dm();
    const views: ChannelViews = { head: undefined, pages: new Map(), edits: new Map() };
    for (const e of h.events) applyChannelEvent(views, e);
    expect(views.head).to.deep.equal({
      channelId: h.channelId, kind: "dm", name: "", topic: "", private: true, createdBy: ann, createdAt: h.events[0]!.timestamp,
      members: [ann, ben, cat], lastSeq: 1, messageCount: 0, pageSize: 50, pageCount: 0,
    });
  });

  it("directory entry: kind dm, private, its members (so only they see it listed)", () => {
    const h = dm();
    expect(applyToDirectory(emptyDirectory, h.events).channels).to.deep.equal([
      { channelId: h.channelId, kind: "dm", name: "", topic: "", private: true, memberCount: 3, lastSeq: 1, members: [ann, ben, cat] },
    ]);
  });

  it("puts the DM in each member's own view, and in nobody else's", () => {
    const [opened] = dm().events;
    expect(membershipChanges(opened!).map((c) => c.userId)).to.deep.equal([ann, ben, cat]);
    for (const userId of [ann, ben, cat]) expect(applyToUser(emptyUser(userId), opened!).channels).to.deep.equal([opened!.channelId]);
    expect(applyToUser(emptyUser(dan), opened!).channels).to.deep.equal([]);
  });

  it("counts its members as the mentions audience, privately, and pushes its events to them only", () => {
    const [opened] = dm().events;
    expect(evolveAudience(unknownAudience, opened!)).to.deep.equal({ lastSeq: 1, private: true, members: [ann, ben, cat] });
    expect(audienceOf(opened!, [ann, ben, cat])).to.deep.equal({ everyone: false, users: [ann, ben, cat] });
  });
});
