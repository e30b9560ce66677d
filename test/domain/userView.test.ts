/**
 * The users directory (`views/users`) and a user's own view (`views/users/me`, CONTRACT §5):
 * membership is a last-writer-wins register per channel, ordered by the channel stream's seq.
 */
import { expect } from "chai";
import type { StoredEvent } from "../../functions/domain/events";
import { applyToUser, applyToUsers, emptyUser, emptyUsers, type UserView } from "../../functions/domain/projections/user";
import { ChannelHistory, channelIds, Clock, messageId, registered, userRenamed } from "../support/domainFixtures";

const [ann, ben, cat] = ["u-ann", "u-ben", "u-cat"];
const userOf = (userId: string, events: readonly StoredEvent[], start: UserView = emptyUser(userId)) => events.reduce(applyToUser, start);
const usersOf = (events: readonly StoredEvent[]) => events.reduce(applyToUsers, emptyUsers);

/** Ben creates #general, then joins #random, then is added to #secret; all on one clock. */
function bensChannels() {
  const clock = new Clock();
  const general = new ChannelHistory(channelIds.general, clock);
  const random = new ChannelHistory(channelIds.random, clock);
  const secret = new ChannelHistory(channelIds.secret, clock);
  random.created(ann, { name: "random" });
  secret.created(cat, { name: "secret", private: true });
  general.created(ben, { name: "general" });
  random.joined(ben);
  secret.joined(cat, ben);
  return { general, random, secret };
}

describe("user view (views/users/me)", () => {
  it("lists the channels a user is in, in join order, with the name from user_registered", () => {
    const { general, random, secret } = bensChannels();
    const [created, joined, added] = [general.events[0]!, random.events[1]!, secret.events[1]!];
    const events = [registered(ben, "Ben"), added, created, joined];
    expect(userOf(ben, events)).to.deep.equal({
      userId: ben,
      name: "Ben",
      channels: [channelIds.general, channelIds.random, channelIds.secret],
      memberships: {
        [channelIds.general]: { seq: 1, member: true, at: created.timestamp },
        [channelIds.random]: { seq: 2, member: true, at: joined.timestamp },
        [channelIds.secret]: { seq: 2, member: true, at: added.timestamp },
      },
    });
  });

  it("drops a channel the user left and keeps the register as out", () => {
    const { general, random, secret } = bensChannels();
    const left = random.left(ben);
    const view = userOf(ben, [...general.events, ...random.events, ...secret.events]);
    expect(view.channels).to.deep.equal([channelIds.general, channelIds.secret]);
    expect(view.memberships[channelIds.random]).to.deep.equal({ seq: left.seq, member: false, at: left.timestamp });
  });

  it("leaves the user out when a leave is followed by a reordered, older join", () => {
    const h = new ChannelHistory(channelIds.general);
    h.created(ann);
    const join = h.joined(ben);
    const leave = h.left(ben);
    expect(userOf(ben, [leave, join]).channels).to.deep.equal([]);
    expect(userOf(ben, [join, leave, join]).channels).to.deep.equal([]);
    expect(userOf(ben, [leave, join])).to.deep.equal(userOf(ben, [join, leave]));
  });

  it("puts a user back, as the latest channel joined, when they join again after leaving", () => {
    const { general, random } = bensChannels();
    general.left(ben);
    general.joined(ben);
    const view = userOf(ben, [...general.events, ...random.events]);
    expect(view.channels).to.deep.equal([channelIds.random, channelIds.general]);
    expect(view.memberships[channelIds.general]).to.include({ seq: 3, member: true });
  });

  it("counts an added member's join for the added user, not for the member who added them", () => {
    const { secret } = bensChannels();
    expect(userOf(ben, secret.events).channels).to.deep.equal([channelIds.secret]);
    const catView = userOf(cat, secret.events);
    expect(catView.channels).to.deep.equal([channelIds.secret]);
    expect(catView.memberships[channelIds.secret]).to.include({ seq: 1 });
  });

  it("ignores other users' membership events and every message event", () => {
    const h = new ChannelHistory(channelIds.general);
    h.created(ann);
    h.joined(cat);
    const start = userOf(ben, [h.joined(ben)]);
    h.left(cat);
    h.sent(ben, messageId(1));
    h.edited(ben, messageId(1), "x");
    h.deleted(ben, messageId(1));
    expect(userOf(ben, h.events.filter((e) => e.userId !== ben || e.type.startsWith("message_")), start)).to.equal(start);
  });

  it("changes nothing when events are applied again, in any order", () => {
    const { general, random, secret } = bensChannels();
    random.left(ben);
    const events = [registered(ben, "Ben"), ...general.events, ...random.events, ...secret.events];
    const once = userOf(ben, events);
    expect(userOf(ben, events, once)).to.equal(once);
    expect(userOf(ben, [...events].reverse())).to.deep.equal(once);
  });
});

describe("users directory (views/users)", () => {
  it("lists every registered user once, sorted by name, then by userId", () => {
    const events = [registered("u-3", "Zoe"), registered("u-2", "Ann"), registered("u-9", "Mo"), registered("u-1", "Mo")];
    expect(usersOf(events)).to.deep.equal({
      users: [
        { userId: "u-2", name: "Ann" },
        { userId: "u-1", name: "Mo" },
        { userId: "u-9", name: "Mo" },
        { userId: "u-3", name: "Zoe" },
      ],
    });
  });

  it("changes nothing when a user_registered is applied again", () => {
    const users = usersOf([registered(ann, "Ann"), registered(ben, "Ben")]);
    expect(applyToUsers(users, registered(ann, "Ann"))).to.equal(users);
  });

  it("keeps one entry per user, with the latest name, whatever order its renames arrive in", () => {
    const first = usersOf([registered(ben, "Ben"), registered(ann, "Ann"), userRenamed(ben, "Aaron", 2)]);
    const reordered = usersOf([userRenamed(ben, "Aaron", 2), registered(ann, "Ann"), registered(ben, "Ben"), userRenamed(ben, "Aaron", 2)]);
    expect(reordered).to.deep.equal(first);
    expect(usersOf([registered(ben, "Ben"), userRenamed(ben, "Bob", 3), userRenamed(ben, "Aaron", 2), registered(ann, "Ann")]).users.map((u) => u.name)).to.deep.equal(["Ann", "Bob"]);
    expect({ users: first.users.map(({ userId, name }) => ({ userId, name })) }).to.deep.equal({
      users: [
        { userId: ben, name: "Aaron" },
        { userId: ann, name: "Ann" },
      ],
    });
  });

  it("ignores channel events", () => {
    const h = new ChannelHistory(channelIds.general);
    const users = usersOf([registered(ann, "Ann")]);
    expect(usersOf([registered(ann, "Ann"), h.created(ann), h.joined(ben)])).to.deep.equal(users);
  });
});

describe("a user's own view: renames and removals", () => {
  const ann = "u-ann";
  const ben = "u-ben";
  const viewOf = (userId: string, events: StoredEvent[]) => events.reduce(applyToUser, emptyUser(userId));

  it("takes the name of the latest rename by its seq in the user's stream, in any delivery order", () => {
    const events = [registered(ann, "Ann"), userRenamed(ann, "Annie", 2), userRenamed(ann, "Ann Lee", 3)];
    const inOrder = viewOf(ann, events);
    expect(inOrder.name).to.equal("Ann Lee");
    for (const order of [[2, 1, 0], [1, 0, 2], [0, 2, 1, 1]]) expect(viewOf(ann, order.map((i) => events[i]!))).to.deep.equal(inOrder);
  });

  it("lets go of a channel its creator removed the user from", () => {
    const general = new ChannelHistory(channelIds.general);
    const events = [general.created(ann), general.joined(ben), general.left(ann, ben)];
    expect(viewOf(ben, events).channels).to.deep.equal([]);
    expect(viewOf(ann, events).channels).to.deep.equal([channelIds.general]);
  });
});
