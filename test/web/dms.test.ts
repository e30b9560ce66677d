/** How the browser lists and names DMs (CONTRACT §8): apart from channels, by the other people in them, with unread counts. */
import { expect } from "chai";
import { applyToHead } from "../../functions/domain/projections/channel";
import { dmTitle } from "../../web/src/state/dms";
import { sidebarChannels, sidebarDms } from "../../web/src/state/selectors";
import { emptyTimeline, receive, type Timeline } from "../../web/src/state/timeline";
import { ChannelHistory, channelIds, messageId } from "../support/domainFixtures";

const [ann, ben, cat] = ["u-ann", "u-ben", "u-cat"];
const users = new Map([[ann, "Ann"], [ben, "Ben"], [cat, "Cat Stevens"]]);
const dmId = "cccccccc-0000-5000-8000-000000000001";
const groupId = "cccccccc-0000-5000-8000-000000000002";

function timelines(): Map<string, Timeline> {
  const channel = new ChannelHistory(channelIds.general);
  channel.created(ann, { name: "general" });
  const dm = new ChannelHistory(dmId);
  dm.dmOpened(ben, [ann]);
  dm.sent(ben, messageId(1));
  dm.sent(ben, messageId(2));
  const group = new ChannelHistory(groupId);
  group.dmOpened(cat, [ben, ann]);
  const others = new ChannelHistory(channelIds.secret);
  others.dmOpened(ben, [cat]);
  const line = (h: ChannelHistory) => h.events.reduce(receive, emptyTimeline(h.channelId));
  return new Map([channel, dm, group, others].map((h) => [h.channelId, line(h)]));
}

describe("web: DMs in the sidebar", () => {
  const state = { timelines: timelines(), read: { [dmId]: 2 }, counted: new Map(), me: { userId: ann, name: "Ann" }, users };

  it("starts a DM's timeline from its pushed opening, as kind dm with its members", () => {
    expect(state.timelines.get(dmId)?.head).to.deep.include({ kind: "dm", name: "", private: true, members: [ben, ann], lastSeq: 3 });
  });

  it("lists our DMs apart from channels, named by the others (sorted), without the DMs we are not in", () => {
    expect(sidebarChannels(state).map((c) => c.name)).to.deep.equal(["general"]);
    expect(sidebarDms(state).map((c) => [c.channelId, c.name])).to.deep.equal([
      [dmId, "Ben"],
      [groupId, "Ben, Cat Stevens"],
    ]);
  });

  it("counts a DM's unread messages as a channel's", () => {
    // Read up to the opening (seq 1), which covers no message: both messages are unread.
    const counted = new Map([[dmId, { mark: 1, count: 0 }]]);
    const unread = (read: Record<string, number>) => sidebarDms({ ...state, read, counted }).find((c) => c.channelId === dmId)?.unread;
    expect(unread({ [dmId]: 1 })).to.equal(2);
    expect(unread({ [dmId]: 3 })).to.equal(0);
  });

  it("names people it does not know yet 'Someone', and a DM with oneself by one's own name", () => {
    expect(dmTitle([ann, "u-new"], users, ann)).to.equal("Someone");
    expect(dmTitle([ann], users, ann)).to.equal("Ann");
    expect(applyToHead(undefined, new ChannelHistory(dmId).dmOpened(ann, [cat]))?.kind).to.equal("dm");
  });
});
