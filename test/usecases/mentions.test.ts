/**
 * The mentions runner and the mentions view: a message is recorded only for members of its
 * channel at its seq, whatever order deliveries come in, a name the index does not know
 * yet is waited for, and reading fails closed.
 */
import { expect } from "chai";
import { viewKeys } from "../../functions/domain/projections/keys";
import type { MentionsView } from "../../functions/domain/projections/mentions";
import type { StoredEvent } from "../../functions/domain/events";
import { scoped } from "../../functions/usecases/generations";
import { project } from "../../functions/usecases/project";
import { catchUpMentions, NamesNotYetKnown } from "../../functions/usecases/projectMentions";
import { readView } from "../../functions/usecases/readView";
import { ChannelHistory, channelIds, Clock, messageId, registered } from "../support/domainFixtures";
import { MemoryEventStore, MemoryViewStore } from "../support/memoryPorts";

const g0 = "mentions/g0/";

function setUp() {
  const store = new MemoryEventStore();
  const views = new MemoryViewStore();
  const deps = { store, views, now: () => new Date("2024-01-01T00:01:00.000Z") };
  const append = async (...events: StoredEvent[]) => {
    for (const event of events) await store.append(event);
  };
  const mentionsOf = (userId: string) => views.under(g0)[viewKeys.mentions(userId)];
  return { store, views, deps, append, mentionsOf };
}

describe("mentions runner", () => {
  it("never records a private channel's message for someone who is not a member, even when every event arrives out of order", async () => {
    const { deps, append, mentionsOf } = setUp();
    const clock = new Clock();
    const secret = new ChannelHistory(channelIds.secret, clock);
    await append(registered("ann", "Ann"), registered("bob", "Bob"), registered("cat", "Cat"));
    secret.created("ann", { private: true });
    secret.sent("ann", messageId(1), "@bob look at this"); // Bob is not in it
    secret.joined("ann", "cat");
    secret.sent("ann", messageId(2), "@bob @cat plans");
    await append(...secret.events);
    for (const userId of ["ann", "bob", "cat"]) await project("mentions", registered(userId, userId), deps);
    for (const event of [...secret.events].reverse()) await project("mentions", event, deps);
    expect(mentionsOf("bob")).to.equal(undefined);
    const cat = JSON.parse(mentionsOf("cat") ?? "{}") as MentionsView;
    expect(cat.mentions.map((m) => m.text)).to.deep.equal(["@bob @cat plans"]);
  });

  it("follows joins and leaves: only messages sent while the person was in the channel", async () => {
    const { deps, append, mentionsOf } = setUp();
    const general = new ChannelHistory(channelIds.general, new Clock());
    await append(registered("ann", "Ann"), registered("bob", "Bob"));
    general.created("ann");
    general.sent("ann", messageId(1), "@bob before");
    general.joined("bob");
    general.sent("ann", messageId(2), "@bob while in");
    general.left("bob");
    general.sent("ann", messageId(3), "@bob after");
    await append(...general.events);
    await project("mentions", registered("bob", "Bob"), deps);
    await project("mentions", registered("ann", "Ann"), deps);
    await project("mentions", general.events.at(-1) as StoredEvent, deps);
    const bob = JSON.parse(mentionsOf("bob") ?? "{}") as MentionsView;
    expect(bob.mentions.map((m) => m.text)).to.deep.equal(["@bob while in"]);
  });

  it("gives a new text only to those still in the channel: one who left keeps what they could read", async () => {
    const { deps, append, mentionsOf } = setUp();
    const secret = new ChannelHistory(channelIds.secret, new Clock());
    await append(registered("ann", "Ann"), registered("bob", "Bob"));
    secret.created("ann", { private: true });
    secret.joined("ann", "bob");
    secret.sent("ann", messageId(1), "@bob the old plan");
    secret.left("bob");
    secret.edited("ann", messageId(1), "@bob the new plan, after bob left");
    await append(...secret.events);
    for (const userId of ["ann", "bob"]) await project("mentions", registered(userId, userId), deps);
    await project("mentions", secret.events.at(-1) as StoredEvent, deps);
    const bob = JSON.parse(mentionsOf("bob") ?? "{}") as MentionsView;
    expect(bob.mentions.map((m) => m.text)).to.deep.equal(["@bob the old plan"]);
  });

  it("waits for the name index to learn a member it does not know yet, instead of passing the mention by", async () => {
    const { deps, append, mentionsOf, views } = setUp();
    const general = new ChannelHistory(channelIds.general, new Clock());
    await append(registered("ann", "Ann"), registered("dan", "Dan"));
    general.created("ann");
    general.joined("dan");
    general.sent("ann", messageId(1), "welcome @dan");
    await append(...general.events);
    await project("mentions", registered("ann", "Ann"), deps); // Dan's registration is still on its way
    let error: unknown;
    try {
      await catchUpMentions(channelIds.general, { ...deps, views: scoped(deps.views, "mentions", "g0") }, 3);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(NamesNotYetKnown);
    expect(JSON.parse(views.under(g0)[viewKeys.checkpoint(`channel-${channelIds.general}`)] ?? '{"lastSeq":0}').lastSeq ?? 0).to.be.below(3);
    await project("mentions", registered("dan", "Dan"), deps);
    await catchUpMentions(channelIds.general, { ...deps, views: scoped(deps.views, "mentions", "g0") }, 3);
    const dan = JSON.parse(mentionsOf("dan") ?? "{}") as MentionsView;
    expect(dan.mentions.map((m) => m.text)).to.deep.equal(["welcome @dan"]);
  });

  it("after the grace period, takes a member the index never learns as nameless and moves on", async () => {
    const { store, views, append } = setUp();
    const general = new ChannelHistory(channelIds.general, new Clock());
    await append(registered("ann", "Ann"), registered("bob", "Bob"));
    general.created("ann");
    general.joined("ghost");
    general.joined("bob");
    general.sent("ann", messageId(1), "hi @nobody and @bob");
    await append(...general.events);
    await project("mentions", registered("ann", "Ann"), { store, views });
    await project("mentions", registered("bob", "Bob"), { store, views });
    await catchUpMentions(channelIds.general, { store, views: scoped(views, "mentions", "g0"), now: () => new Date("2024-01-01T00:10:00.000Z") }, 4);
    const checkpoint = JSON.parse(views.under(g0)[viewKeys.checkpoint(`channel-${channelIds.general}`)] ?? "{}");
    expect(checkpoint).to.deep.include({ lastSeq: 4, members: ["ann", "ghost", "bob"], private: false });
  });
});

describe("mentions view", () => {
  const userDoc = (userId: string, channels: string[]) => JSON.stringify({ userId, name: userId, channels, memberships: {} });
  const mention = (channelId: string, extra: object) => ({ channelId, messageId: messageId(1), seq: 2, userId: "ann", text: "@bob hi", sentAt: "2024-01-01T00:00:01.000Z", ...extra });

  it("shows a mention of a private channel only while the reader is a member, and one whose privacy is unknown as private", async () => {
    const views = new MemoryViewStore();
    const doc = { userId: "bob", mentions: [mention(channelIds.secret, { private: true }), mention(channelIds.general, { private: false }), mention(channelIds.random, {})] };
    await views.put(`${g0}${viewKeys.mentions("bob")}`, JSON.stringify(doc), { absent: true });
    await views.put(`user/g0/${viewKeys.user("bob")}`, userDoc("bob", []), { absent: true });
    const outside = await readView("users/me/mentions", "bob", views);
    if (outside.kind !== "view") throw new Error("expected a view");
    expect(JSON.parse(outside.body).mentions).to.deep.equal([mention(channelIds.general, {})]);
    await views.put(`user/g0/${viewKeys.user("bob")}`, userDoc("bob", [channelIds.secret, channelIds.random]), { etag: (await views.get(`user/g0/${viewKeys.user("bob")}`))?.etag ?? "" });
    const inside = await readView("users/me/mentions", "bob", views);
    if (inside.kind !== "view") throw new Error("expected a view");
    expect(JSON.parse(inside.body).mentions.map((m: { channelId: string }) => m.channelId)).to.have.members([channelIds.secret, channelIds.general, channelIds.random]);
  });
});

describe("directory view", () => {
  it("does not list a private channel to someone its entry does not hold, even while their own view still does", async () => {
    const store = new MemoryEventStore();
    const views = new MemoryViewStore();
    const secret = new ChannelHistory(channelIds.secret, new Clock());
    secret.created("ann", { name: "plans", private: true });
    secret.joined("ann", "bob");
    secret.left("bob");
    for (const event of secret.events) await store.append(event);
    await project("directory", secret.events.at(-1) as StoredEvent, { store, views });
    // Bob's own view has not caught up with his leave (its delivery is late, or dead-lettered).
    const stale = JSON.stringify({ userId: "bob", name: "bob", channels: [channelIds.secret], memberships: {} });
    await views.put(`user/g0/${viewKeys.user("bob")}`, stale, { absent: true });
    await views.put(`user/g0/${viewKeys.user("ann")}`, stale.replaceAll("bob", "ann"), { absent: true });
    const read = async (userId: string) => {
      const answer = await readView("channels", userId, views);
      return answer.kind === "view" ? (JSON.parse(answer.body).channels as { name: string }[]).map((c) => c.name) : [];
    };
    expect(await read("bob")).to.deep.equal([]);
    expect(await read("ann")).to.deep.equal(["plans"]);
  });
});
