/** Given a channel's events, when a command, then this event or this refusal (CONTRACT §3). */
import { expect } from "chai";
import { type ChannelInput, decide, decideCreate, type MessageFacts } from "../../functions/domain/channel/decide";
import { foldChannel, initialChannelState } from "../../functions/domain/channel/state";
import type { ChannelEvent, InputOf, NewEvent } from "../../functions/domain/events";
import type { Refusal } from "../../functions/domain/refusal";
import { ChannelHistory, channelIds, messageId } from "../support/domainFixtures";

const channelId = channelIds.general;
const [ann, ben, cat] = ["u-ann", "u-ben", "u-cat"];
const registeredUsers = new Set([ann, ben, cat]);
const eventId = "evt-new";
const now = "2024-02-02T10:00:00.000Z";

/** What the claim store would know of a message, read off the stream. */
function factsOf(events: readonly ChannelEvent[], id: string): MessageFacts | undefined {
  const sent = events.find((e) => e.type === "message_sent" && e.messageId === id);
  if (sent?.type !== "message_sent") return undefined;
  return { author: sent.userId, position: sent.position, deleted: events.some((e) => e.type === "message_deleted" && e.messageId === id) };
}

function when(events: readonly ChannelEvent[], userId: string, input: ChannelInput): NewEvent | Refusal {
  const state = foldChannel(initialChannelState, events);
  const message = "messageId" in input && input.type !== "message_sent" ? factsOf(events, input.messageId) : undefined;
  const other = input.type === "user_joined_channel" && input.memberId && input.memberId !== userId ? input.memberId : undefined;
  return decide(input, state, { userId, eventId, now, message, memberRegistered: other ? registeredUsers.has(other) : undefined });
}

const refusal = (status: number, code: string) => ({ status, code });
const join = (memberId?: string): ChannelInput => ({ type: "user_joined_channel", channelId, ...(memberId ? { memberId } : {}) });
const leave: ChannelInput = { type: "user_left_channel", channelId };
const send = (n: number, text = "hello"): ChannelInput => ({ type: "message_sent", channelId, messageId: messageId(n), text });
const edit = (n: number, text = "fixed"): ChannelInput => ({ type: "message_edited", channelId, messageId: messageId(n), text });
const del = (n: number): ChannelInput => ({ type: "message_deleted", channelId, messageId: messageId(n) });
const base = (userId: string) => ({ eventId, timestamp: now, userId, channelId });

function publicChannel(...members: string[]) {
  const h = new ChannelHistory(channelId);
  h.created(ann);
  for (const m of members) h.joined(m);
  return h;
}
function privateChannel() {
  const h = new ChannelHistory(channelId);
  h.created(ann, { private: true });
  return h;
}

describe("decide: channel_created", () => {
  const create = (extra: Partial<InputOf<"channel_created">> = {}): InputOf<"channel_created"> => ({ type: "channel_created", name: "general", ...extra });
  const ctx = { userId: ann, eventId, now, channelId };

  it("creates a public channel with an empty topic by default, the caller as creator", () => {
    expect(decideCreate(create(), initialChannelState, ctx)).to.deep.equal({
      type: "channel_created", ...base(ann), name: "general", topic: "", private: false,
    });
  });

  it("keeps the given topic and privacy", () => {
    expect(decideCreate(create({ topic: "hush", private: true }), initialChannelState, ctx)).to.deep.include({ topic: "hush", private: true });
  });

  it("refuses a channelId that already has a channel with 409 channel_exists", () => {
    const state = foldChannel(initialChannelState, publicChannel().events);
    expect(decideCreate(create({ name: "other" }), state, { ...ctx, userId: ben })).to.deep.include(refusal(409, "channel_exists"));
  });
});

describe("decide: channel commands", () => {
  it("refuses every command on a channel that does not exist with 404 channel_not_found", () => {
    for (const input of [join(), join(ben), leave, send(1), edit(1), del(1)]) {
      expect(when([], ann, input)).to.deep.include(refusal(404, "channel_not_found"));
    }
  });

  describe("user_joined_channel", () => {
    it("lets anyone join a public channel themselves", () => {
      expect(when(publicChannel().events, ben, join())).to.deep.equal({ type: "user_joined_channel", ...base(ben), memberId: ben });
    });

    it("treats a memberId equal to the caller as a self-join", () => {
      expect(when(privateChannel().events, ben, join(ben))).to.deep.include(refusal(403, "forbidden"));
      expect(when(publicChannel().events, ben, join(ben))).to.deep.include({ type: "user_joined_channel", memberId: ben });
    });

    it("refuses a self-join of a private channel with 403", () => {
      expect(when(privateChannel().events, ben, join())).to.deep.include(refusal(403, "forbidden"));
    });

    it("lets a member add someone else, even to a private channel; the adder is the event's userId", () => {
      expect(when(privateChannel().events, ann, join(ben))).to.deep.equal({ type: "user_joined_channel", ...base(ann), memberId: ben });
    });

    it("refuses a non-member adding someone else with 403, even on a public channel", () => {
      expect(when(publicChannel().events, ben, join(cat))).to.deep.include(refusal(403, "forbidden"));
    });

    it("refuses adding an account that is not registered with 404 user_not_found", () => {
      expect(when(publicChannel().events, ann, join("u-nobody"))).to.deep.include(refusal(404, "user_not_found"));
    });

    it("refuses a join of someone already a member with 409, self or added", () => {
      const events = publicChannel(ben).events;
      expect(when(events, ben, join())).to.deep.include(refusal(409, "already_member"));
      expect(when(events, ann, join(ben))).to.deep.include(refusal(409, "already_member"));
      expect(when(events, ann, join())).to.deep.include(refusal(409, "already_member"));
    });

    it("lets a former member join a public channel again", () => {
      const h = publicChannel(ben);
      h.left(ben);
      expect(when(h.events, ben, join())).to.deep.include({ type: "user_joined_channel", memberId: ben });
    });
  });

  describe("user_left_channel", () => {
    it("lets a member leave", () => {
      expect(when(publicChannel(ben).events, ben, leave)).to.deep.equal({ type: "user_left_channel", ...base(ben) });
    });

    it("refuses a leave by a non-member, or a second leave, with 403 not_member", () => {
      const h = publicChannel(ben);
      expect(when(h.events, cat, leave)).to.deep.include(refusal(403, "not_member"));
      h.left(ben);
      expect(when(h.events, ben, leave)).to.deep.include(refusal(403, "not_member"));
    });
  });

  describe("message_sent", () => {
    it("gives a member's message the position = number of messages sent so far", () => {
      const h = publicChannel(ben);
      h.sent(ann, messageId(1));
      h.sent(ben, messageId(2));
      h.edited(ann, messageId(1), "edited");
      h.deleted(ben, messageId(2));
      expect(when(h.events, ben, send(3, "third"))).to.deep.equal({
        type: "message_sent", ...base(ben), messageId: messageId(3), text: "third", position: 2,
      });
    });

    it("starts positions at 0 and does not count a redelivered event twice", () => {
      const h = publicChannel();
      expect(when(h.events, ann, send(1))).to.deep.include({ position: 0 });
      const sent = h.sent(ann, messageId(1));
      expect(when([...h.events, sent], ann, send(2))).to.deep.include({ position: 1 });
    });

    it("refuses a non-member or a former member with 403 not_member", () => {
      const h = publicChannel(ben);
      expect(when(h.events, cat, send(1))).to.deep.include(refusal(403, "not_member"));
      h.left(ben);
      expect(when(h.events, ben, send(1))).to.deep.include(refusal(403, "not_member"));
    });
  });

  describe("message_edited and message_deleted", () => {
    function withMessages() {
      const h = publicChannel(ben, cat);
      h.sent(ann, messageId(1));
      h.sent(ben, messageId(2));
      return h;
    }

    it("lets the author edit, carrying the message's position over", () => {
      expect(when(withMessages().events, ben, edit(2, "better"))).to.deep.equal({
        type: "message_edited", ...base(ben), messageId: messageId(2), text: "better", position: 1,
      });
    });

    it("lets the author delete, carrying the message's position over", () => {
      expect(when(withMessages().events, ben, del(2))).to.deep.equal({
        type: "message_deleted", ...base(ben), messageId: messageId(2), position: 1,
      });
    });

    it("refuses an unknown message with 404 message_not_found", () => {
      for (const input of [edit(9), del(9)]) expect(when(withMessages().events, ben, input)).to.deep.include(refusal(404, "message_not_found"));
    });

    it("refuses a deleted message with 404 message_not_found", () => {
      const h = withMessages();
      h.deleted(ben, messageId(2));
      for (const input of [edit(2), del(2)]) expect(when(h.events, ben, input)).to.deep.include(refusal(404, "message_not_found"));
    });

    it("refuses a member who is not the author with 403 not_author", () => {
      for (const input of [edit(2), del(2)]) expect(when(withMessages().events, cat, input)).to.deep.include(refusal(403, "not_author"));
    });

    it("refuses a non-member, even the author after leaving, with 403 not_member", () => {
      const h = withMessages();
      h.left(ben);
      for (const user of [ben, "u-dan"]) {
        for (const input of [edit(2), del(2)]) expect(when(h.events, user, input)).to.deep.include(refusal(403, "not_member"));
      }
    });
  });

  describe("reaction_added and reaction_removed (CONTRACT §10)", () => {
    const react = (n: number, emoji = "thumbsup"): ChannelInput => ({ type: "reaction_added", channelId, messageId: messageId(n), emoji });
    const unreact = (n: number, emoji = "thumbsup"): ChannelInput => ({ type: "reaction_removed", channelId, messageId: messageId(n), emoji });
    function withMessages() {
      const h = publicChannel(ben, cat);
      h.sent(ann, messageId(1));
      h.sent(ben, messageId(2));
      return h;
    }

    it("lets any member react to anyone's message, carrying the message's position over", () => {
      expect(when(withMessages().events, cat, react(2, "+1"))).to.deep.equal({
        type: "reaction_added", ...base(cat), messageId: messageId(2), emoji: "+1", position: 1,
      });
      expect(when(withMessages().events, ann, unreact(1, "tada"))).to.deep.equal({
        type: "reaction_removed", ...base(ann), messageId: messageId(1), emoji: "tada", position: 0,
      });
    });

    it("answers a repeated reaction, or removing one never given, with an event (the folds ignore it): 202, not an error", () => {
      const h = withMessages();
      h.reacted(cat, messageId(2), "thumbsup");
      expect(when(h.events, cat, react(2))).to.deep.include({ type: "reaction_added", emoji: "thumbsup" });
      expect(when(h.events, ann, unreact(2))).to.deep.include({ type: "reaction_removed", emoji: "thumbsup" });
    });

    it("refuses a non-member, even one who reacted before leaving, with 403 not_member", () => {
      const h = withMessages();
      h.reacted(cat, messageId(2), "thumbsup");
      h.left(cat);
      for (const user of [cat, "u-dan"]) {
        for (const input of [react(2), unreact(2)]) expect(when(h.events, user, input)).to.deep.include(refusal(403, "not_member"));
      }
    });

    it("refuses an unknown or deleted message with 404 message_not_found", () => {
      const h = withMessages();
      h.deleted(ben, messageId(2));
      for (const input of [react(9), unreact(9), react(2), unreact(2)]) expect(when(h.events, ann, input)).to.deep.include(refusal(404, "message_not_found"));
    });
  });
});

describe("decide: channel settings and removal (CONTRACT §14)", () => {
  const remove = (memberId: string): ChannelInput => ({ type: "user_left_channel", channelId, memberId });
  const rename = (name: string): ChannelInput => ({ type: "channel_renamed", channelId, name });
  const topic = (t: string): ChannelInput => ({ type: "channel_topic_set", channelId, topic: t });

  it("lets the creator remove another member; the event names who left", () => {
    expect(when(publicChannel(ben).events, ann, remove(ben))).to.deep.equal({ type: "user_left_channel", ...base(ann), memberId: ben });
  });

  it("refuses a removal by anyone but the creator with 403, even by a member", () => {
    expect(when(publicChannel(ben, cat).events, ben, remove(cat))).to.deep.include(refusal(403, "forbidden"));
    expect(when(publicChannel(ben).events, cat, remove(ben))).to.deep.include(refusal(403, "not_member"));
  });

  it("refuses removing someone who is not a member with 409, and a creator who left cannot remove", () => {
    expect(when(publicChannel(ben).events, ann, remove(cat))).to.deep.include(refusal(409, "not_in_channel"));
    const h = publicChannel(ben);
    h.left(ann);
    expect(when(h.events, ann, remove(ben))).to.deep.include(refusal(403, "not_member"));
  });

  it("treats a memberId equal to the caller as leaving, for any member", () => {
    expect(when(publicChannel(ben).events, ben, remove(ben))).to.deep.equal({ type: "user_left_channel", ...base(ben) });
  });

  it("folds a removal into the state: the removed member is out, and may not post", () => {
    const h = publicChannel(ben);
    h.left(ann, ben);
    expect(foldChannel(initialChannelState, h.events).members).to.deep.equal([ann]);
    expect(when(h.events, ben, send(1))).to.deep.include(refusal(403, "not_member"));
  });

  it("lets members rename the channel and set its topic; refuses non-members with 403", () => {
    expect(when(publicChannel(ben).events, ben, rename("random"))).to.deep.equal({ type: "channel_renamed", ...base(ben), name: "random" });
    expect(when(publicChannel(ben).events, ben, topic("Lunch"))).to.deep.equal({ type: "channel_topic_set", ...base(ben), topic: "Lunch" });
    expect(when(publicChannel().events, ben, rename("random"))).to.deep.include(refusal(403, "not_member"));
    expect(when(publicChannel().events, ben, topic("x"))).to.deep.include(refusal(403, "not_member"));
  });

  it("refuses a rename to the channel's own name with 409, and folds a rename into the state", () => {
    const h = publicChannel();
    expect(when(h.events, ann, rename("general"))).to.deep.include(refusal(409, "name_unchanged"));
    h.renamed(ann, "random");
    expect(foldChannel(initialChannelState, h.events).name).to.equal("random");
    expect(when(h.events, ann, rename("general"))).to.deep.include({ type: "channel_renamed", name: "general" });
  });
});

describe("the decide-state's membersSeq", () => {
  it("is the seq of the last event that changed the members: a message, a rename or a join of a member already in leaves it", () => {
    const h = publicChannel(ben);
    const state = () => foldChannel(initialChannelState, h.events);
    expect(state().membersSeq).to.equal(2);
    h.sent(ann, messageId(1));
    h.renamed(ann, "random");
    h.joined(ann, ben);
    expect(state()).to.include({ version: 5, membersSeq: 2 });
    const left = h.left(ben);
    h.left(ben);
    expect(state()).to.include({ version: 7, membersSeq: left.seq });
    expect(state().members).to.deep.equal([ann]);
  });
});
