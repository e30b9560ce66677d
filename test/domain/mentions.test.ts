import { expect } from "chai";
import type { MessageSent, UserRegistered } from "../../functions/domain/events";
import { addMention, addName, changeMention, emptyMentions, emptyNames, mayNameUnknownMember, mentionedIn } from "../../functions/domain/projections/mentions";
import { ChannelHistory, channelIds, messageId, userRenamed } from "../support/domainFixtures";

const registered = (userId: string, name: string, timestamp = "2026-01-01T00:00:00.000Z"): UserRegistered => ({
  type: "user_registered", eventId: `e-${userId}`, stream: `user-${userId}`, seq: 1, timestamp, userId, name,
});
const sent = (text: string, userId = "ann", timestamp = "2026-01-02T00:00:00.000Z", seq = 2): MessageSent => ({
  type: "message_sent", eventId: `m-${seq}`, stream: "channel-c", seq, timestamp, userId, channelId: "c", messageId: `msg-${seq}`, text, position: seq - 2,
});
const everyone = ["ann", "ben", "cat"];
const names = [registered("ann", "Ann"), registered("ben", "Ben Lee"), registered("cat", "Cat", "2026-01-03T00:00:00.000Z")].reduce(addName, emptyNames);

describe("mentions", () => {
  it("resolves @name by the whole name without spaces or by the first name, case-insensitively", () => {
    expect(mentionedIn(sent("hi @benlee"), names, everyone)).to.deep.equal(["ben"]);
    expect(mentionedIn(sent("hi @BEN!"), names, everyone)).to.deep.equal(["ben"]);
    expect(mentionedIn(sent("no mention here, ben"), names, everyone)).to.deep.equal([]);
  });

  it("never tells authors of their own message, nor users registered after it was sent", () => {
    expect(mentionedIn(sent("@ann @cat"), names, everyone)).to.deep.equal([]);
  });

  it("keeps a user's mentions newest first, once per message, edited and deleted with the message", () => {
    let view = addMention(emptyMentions("ben"), sent("first @ben", "ann", "2026-01-02T00:00:00.000Z", 2), false);
    view = addMention(view, sent("second @ben", "ann", "2026-01-02T00:00:01.000Z", 3), false);
    view = addMention(view, sent("second @ben", "ann", "2026-01-02T00:00:01.000Z", 3), false);
    expect(view.mentions.map((m) => m.text)).to.deep.equal(["second @ben", "first @ben"]);
    const edited = changeMention(view, { type: "message_edited", eventId: "x", stream: "channel-c", seq: 4, timestamp: "2026-01-02T00:00:02.000Z", userId: "ann", channelId: "c", messageId: "msg-2", text: "first, edited", position: 0 });
    expect(edited.mentions[1]).to.include({ text: "first, edited", editedAt: "2026-01-02T00:00:02.000Z" });
    const deleted = changeMention(edited, { type: "message_deleted", eventId: "y", stream: "channel-c", seq: 5, timestamp: "2026-01-02T00:00:03.000Z", userId: "ann", channelId: "c", messageId: "msg-3", position: 1 });
    expect(deleted.mentions.map((m) => m.messageId)).to.deep.equal(["msg-2"]);
  });

  it("tells only those who are members of the channel at the message's seq", () => {
    expect(mentionedIn(sent("@ben @cat @ann", "ann", "2026-01-04T00:00:00.000Z"), names, ["ann", "cat"])).to.deep.equal(["cat"]);
    expect(mentionedIn(sent("@ben", "ann", "2026-01-04T00:00:00.000Z"), names, [])).to.deep.equal([]);
  });

  it("says a message may name someone the name index does not know yet only when a member is missing from it and a name matched nobody", () => {
    const later = "2026-01-04T00:00:00.000Z";
    expect(mayNameUnknownMember(sent("hi @dan", "ann", later), names, ["ann", "dan"])).to.equal(true);
    expect(mayNameUnknownMember(sent("hi @ben", "ann", later), names, ["ann", "ben", "dan"])).to.equal(false);
    expect(mayNameUnknownMember(sent("hi @dan", "ann", later), names, ["ann", "ben"])).to.equal(false);
    expect(mayNameUnknownMember(sent("hi @dan", "dan", later), names, ["ann", "dan"])).to.equal(false);
  });

  it("registers each name once", () => {
    expect(addName(names, registered("ann", "Ann"))).to.equal(names);
  });
});

describe("mentions after renames", () => {
  it("reach a person by the name they had when the message was sent, and by the one they gave up less than a day before, not later", () => {
    const index = [registered("u-ann", "Ann", "2024-01-01T00:00:00.000Z"), userRenamed("u-ann", "Annie", 2, "2024-01-02T00:00:00.000Z")].reduce(addName, emptyNames);
    const h = new ChannelHistory(channelIds.general);
    h.created("u-ben");
    const at = (text: string, time: string) => ({ ...h.sent("u-ben", messageId(h.events.length), text), timestamp: time });
    expect(mentionedIn(at("hi @ann", "2024-01-01T12:00:00.000Z"), index, ["u-ann", "u-ben"])).to.deep.equal(["u-ann"]);
    expect(mentionedIn(at("hi @annie", "2024-01-01T12:00:00.000Z"), index, ["u-ann", "u-ben"])).to.deep.equal([]);
    expect(mentionedIn(at("hi @annie", "2024-01-02T01:00:00.000Z"), index, ["u-ann", "u-ben"])).to.deep.equal(["u-ann"]);
    expect(mentionedIn(at("hi @ann", "2024-01-02T23:00:00.000Z"), index, ["u-ann", "u-ben"])).to.deep.equal(["u-ann"]);
    expect(mentionedIn(at("hi @ann", "2024-01-03T01:00:00.000Z"), index, ["u-ann", "u-ben"])).to.deep.equal([]);
  });
});
