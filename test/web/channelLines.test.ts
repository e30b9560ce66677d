/** A channel's lines: messages, activity between them by seq, and the "New" line above the first unread message. */
import { expect } from "chai";
import type { Activity } from "../../functions/domain/projections/channel";
import { activityText, channelLines } from "../../web/src/state/channelLines";
import type { MessageRow } from "../../web/src/state/outbox";

const row = (seq: number, extra: Partial<MessageRow> = {}): MessageRow => ({ seq, messageId: `m${seq}`, userId: "u-ben", text: `at ${seq}`, sentAt: "", ...extra });
const joined = (seq: number, memberId: string): Activity => ({ seq, type: "user_joined_channel", userId: memberId, memberId, at: "" });
const shape = (lines: ReturnType<typeof channelLines>) =>
  lines.map((l) => (l.kind === "message" ? l.row.seq : l.kind === "activity" ? `a${l.activity.seq}` : "new"));
const names = new Map([
  ["u-ann", "Ann"],
  ["u-ben", "Ben"],
]);
const nameOf = (id: string) => names.get(id) ?? "Someone";

describe("web channel lines", () => {
  it("puts joins and leaves between the messages by seq", () => {
    expect(shape(channelLines([row(3), row(5)], [joined(2, "u-ben"), joined(4, "u-cy"), joined(6, "u-dee")], true, undefined))).to.deep.equal(["a2", 3, "a4", 5, "a6"]);
  });

  it("leaves out activity from before the first loaded message while earlier pages are not loaded", () => {
    expect(shape(channelLines([row(30), row(31)], [joined(2, "u-ben"), joined(32, "u-cy")], false, undefined))).to.deep.equal([30, 31, "a32"]);
  });

  it("puts the New line above the first message after the mark, never above ours still on the way", () => {
    expect(shape(channelLines([row(3), row(5), row(7)], [], true, 4))).to.deep.equal([3, "new", 5, 7]);
    expect(shape(channelLines([row(3), row(5)], [], true, 5))).to.deep.equal([3, 5]);
    expect(shape(channelLines([row(3), row(Number.MAX_SAFE_INTEGER, { status: "sending" })], [], true, 3))).to.deep.equal([3, Number.MAX_SAFE_INTEGER]);
  });

  it("says who joined, left, was removed, renamed the channel or set its topic", () => {
    expect(activityText(joined(2, "u-ben"), nameOf)).to.equal("Ben joined");
    expect(activityText({ seq: 3, type: "user_joined_channel", userId: "u-ann", memberId: "u-ben", at: "" }, nameOf)).to.equal("Ben joined, added by Ann");
    expect(activityText({ seq: 4, type: "user_left_channel", userId: "u-ben", memberId: "u-ben", at: "" }, nameOf)).to.equal("Ben left");
    expect(activityText({ seq: 5, type: "user_left_channel", userId: "u-ann", memberId: "u-ben", at: "" }, nameOf)).to.equal("Ben was removed by Ann");
    expect(activityText({ seq: 6, type: "channel_renamed", userId: "u-ann", name: "plans", at: "" }, nameOf)).to.equal("Ann renamed the channel to #plans");
    expect(activityText({ seq: 7, type: "channel_topic_set", userId: "u-ann", topic: "Q3 budget", at: "" }, nameOf)).to.equal("Ann set the topic: Q3 budget");
  });
});
