/** The chat state behind the screen: our writes shown at once and retried safely, membership, unread counts, catching up. */
import { expect } from "chai";
import { ApiError } from "../../web/src/api/apiError";
import { titleOf } from "../../web/src/state/selectors";
import { ChannelHistory, channelIds, messageId } from "../support/domainFixtures";
import { answerFor } from "../support/browserFakes";
import { ben, general, me, setupChatStore as setup } from "../support/chatStoreFixture";

describe("web chat state", () => {
  it("shows a message as sending at once, then as the channel's once it is pushed back", async () => {
    const { timers, store, rows } = await setup();
    store.open(general);
    await timers.advance(0);
    store.writes.send(general, "  hello  ");
    expect(rows().map((r) => [r.text, r.status])).to.deep.equal([["hello", "sending"]]);
    await timers.advance(0);
    expect(rows().map((r) => [r.text, r.status])).to.deep.equal([["hello", undefined]]);
    expect(store.getState().outbox).to.deep.equal([]);
  });

  it("marks a refused message failed, and resends it on Retry with the same Idempotency-Key and messageId", async () => {
    const { api, timers, store, rows } = await setup();
    store.open(general);
    await timers.advance(0);
    const serve = api.onPost;
    api.onPost = () => {
      throw new ApiError(404, "channel_not_found", "No such channel.");
    };
    store.writes.send(general, "early");
    await timers.advance(10_000);
    expect(rows().map((r) => [r.text, r.status, r.error])).to.deep.equal([["early", "failed", "No such channel."]]);
    expect(api.posts).to.have.length(1);
    api.onPost = serve;
    store.writes.retry(rows()[0]!.idempotencyKey!);
    await timers.advance(0);
    expect(rows().map((r) => [r.text, r.status])).to.deep.equal([["early", undefined]]);
    const keys = new Set(api.posts.map((p) => p.idempotencyKey));
    const ids = new Set(api.posts.map((p) => p.body.messageId));
    expect([keys.size, ids.size, api.posts.length]).to.deep.equal([1, 1, 2]);
  });

  it("waits as long as a 429 asks before sending again", async () => {
    const { api, timers, store, rows } = await setup();
    store.open(general);
    await timers.advance(0);
    const serve = api.onPost;
    api.onPost = () => {
      api.onPost = serve;
      throw new ApiError(429, "too_many_requests", "Slow down.", 2000);
    };
    store.writes.send(general, "patient");
    await timers.advance(1999);
    expect(api.posts).to.have.length(1);
    await timers.advance(1);
    expect(api.posts).to.have.length(2);
    expect(rows().map((r) => r.text)).to.deep.equal(["patient"]);
  });

  it("does not retry a refusal, and shows why", async () => {
    const { api, timers, store, rows } = await setup();
    store.open(general);
    await timers.advance(0);
    api.onPost = () => {
      throw new ApiError(403, "not_member", "Only members can post in this channel.");
    };
    store.writes.send(general, "refused");
    await timers.advance(10_000);
    expect(api.posts).to.have.length(1);
    expect(rows()[0]).to.include({ status: "failed", error: "Only members can post in this channel." });
  });

  it("picks up our message from the views when its push never comes", async () => {
    const { timers, store, rows } = await setup({ push: false });
    store.open(general);
    await timers.advance(0);
    store.writes.send(general, "no echo");
    await timers.advance(1000);
    expect(rows().map((r) => [r.text, r.status])).to.deep.equal([["no echo", undefined]]);
  });

  it("shows an edit or a deletion at once; a refused one keeps the edit's text and says why, until retried or cancelled", async () => {
    const { api, timers, h, store, rows } = await setup();
    store.receive(h.sent(me.userId, messageId(1), "original"));
    store.open(general);
    await timers.advance(0);
    const serve = api.onPost;
    api.onPost = () => {
      throw new ApiError(400, "invalid_field", "This edit is not valid: text must be at most 40000 characters.", undefined, [
        { field: "text", message: "must be at most 40000 characters" },
      ]);
    };
    store.writes.edit(general, messageId(1), "changed");
    expect(rows()[0]).to.include({ text: "changed", status: "sending", change: "edit" });
    await timers.advance(0);
    expect(rows()[0]).to.include({ text: "changed", status: "failed", change: "edit", error: "Message is too long: at most 40,000 characters." });
    api.onPost = serve;
    store.writes.retry(rows()[0]!.idempotencyKey!);
    await timers.advance(0);
    expect([rows()[0]!.text, rows()[0]!.status]).to.deep.equal(["changed", undefined]);
    expect(h.events.at(-1)).to.include({ type: "message_edited", text: "changed" });
    api.onPost = () => {
      throw new ApiError(404, "message_not_found", "No such message.");
    };
    store.writes.edit(general, messageId(1), "changed again");
    await timers.advance(0);
    expect(rows()[0]).to.include({ text: "changed again", status: "failed" });
    store.writes.discard(rows()[0]!.idempotencyKey!);
    expect(rows()[0]).to.include({ text: "changed" }).and.not.have.property("status");
    store.writes.remove(general, messageId(1));
    expect(rows()[0]).to.include({ deleted: true });
    await timers.advance(0);
    expect(rows()[0]).to.include({ text: "changed", status: "failed", change: "delete", error: "No such message." }).and.not.have.property("deleted");
  });

  it("starts a channel we create from the store's answer, in the sidebar at once", async () => {
    const { api, timers, store, sidebar } = await setup();
    api.onPost = (body) => {
      const h = api.views.add(new ChannelHistory(body.channelId as string));
      return answerFor(h.created(me.userId, { name: body.name as string, topic: body.topic as string }));
    };
    const channelId = await store.writes.createChannel({ name: "design", topic: "Pixels", private: false });
    expect(sidebar().map((c) => c.name)).to.deep.equal(["design", "general"]);
    expect(api.posts[0]?.body).to.deep.equal({ type: "channel_created", channelId, name: "design", topic: "Pixels", private: false });
    const reads = api.views.reads.length;
    store.open(channelId);
    await timers.advance(0);
    expect(api.views.reads).to.have.length(reads);
  });

  it("adds a channel we join to the sidebar, and takes it away when we leave", async () => {
    const { api, timers, store, sidebar } = await setup();
    const random = api.views.add(new ChannelHistory(channelIds.random));
    random.created(ben, { name: "random" });
    api.onPost = (body) => answerFor(body.type === "user_joined_channel" ? random.joined(me.userId) : random.left(me.userId));
    store.open(random.channelId);
    await timers.advance(0);
    expect(sidebar().map((c) => c.name)).to.deep.equal(["general"]);
    await store.writes.join(random.channelId);
    expect(sidebar().map((c) => c.name)).to.deep.equal(["general", "random"]);
    expect(api.posts[0]?.body).to.deep.equal({ type: "user_joined_channel", channelId: random.channelId });
    await store.writes.leave(random.channelId);
    expect(sidebar().map((c) => c.name)).to.deep.equal(["general"]);
  });

  it("follows a channel someone adds us to, from the push", async () => {
    const { api, timers, store, sidebar } = await setup();
    const secret = api.views.add(new ChannelHistory(channelIds.secret));
    secret.created(ben, { name: "secret", private: true });
    store.receive(secret.joined(ben, me.userId));
    await timers.advance(0);
    expect(sidebar().map((c) => c.name)).to.deep.equal(["general", "secret"]);
  });

  it("counts unread messages of others in channels not on screen, and clears them once the opened channel shows the latest", async () => {
    const { timers, h, store, sidebar } = await setup();
    store.receive(h.sent(ben, messageId(1)));
    store.receive(h.sent(ben, messageId(2)));
    expect(sidebar()[0]?.unread).to.equal(2);
    store.open(general);
    await timers.advance(0);
    // Opened at the unread messages: read once the list shows the latest.
    expect(sidebar()[0]?.unread).to.equal(2);
    store.setAtLatest(general, true);
    expect(sidebar()[0]?.unread).to.equal(0);
  });

  it("counts nothing as unread while the channel is on screen, unless the tab is hidden", async () => {
    const { timers, h, store, sidebar } = await setup();
    store.open(general);
    await timers.advance(0);
    store.receive(h.sent(ben, messageId(1)));
    expect(sidebar()[0]?.unread).to.equal(0);
    store.setVisible(false);
    store.receive(h.sent(ben, messageId(2)));
    expect(sidebar()[0]?.unread).to.equal(1);
  });

  it("counts messages arriving in the open channel in the tab's title while the tab is hidden, until it is shown", async () => {
    const { timers, h, store, sidebar } = await setup();
    store.open(general);
    await timers.advance(0);
    const title = () => titleOf(sidebar(), general, "general", store.getState().visible);
    store.receive(h.sent(ben, messageId(1)));
    expect(title()).to.equal("#general — Chat");
    store.setVisible(false);
    for (const n of [2, 3, 4]) store.receive(h.sent(ben, messageId(n)));
    expect(title()).to.equal("(3) #general — Chat");
    store.setVisible(true);
    expect(title()).to.equal("#general — Chat");
  });

  it("never counts our own messages as unread, even when their push comes after we left the channel's screen", async () => {
    const { h, store, sidebar } = await setup();
    store.receive(h.sent(me.userId, messageId(1)));
    expect(sidebar()[0]?.unread).to.equal(0);
  });

  it("after a reconnect, reads the channels whose lastSeq in the directory moved past ours", async () => {
    const { api, timers, h, store, rows } = await setup();
    store.open(general);
    await timers.advance(0);
    const missed = h.sent(ben, messageId(1), "sent while the socket was down");
    api.other.channels = { channels: [{ channelId: general, name: "general", topic: "", private: false, memberCount: 2, lastSeq: missed.seq }] };
    store.reconnected();
    await timers.advance(1000);
    expect(rows().map((r) => r.text)).to.deep.equal(["sent while the socket was down"]);
  });

  it("names someone who signed up after the users were read, once the users view has them", async () => {
    const { api, timers, h, store } = await setup();
    store.open(general);
    await timers.advance(0);
    const cara = "u-cara";
    store.receive(h.joined(cara));
    await timers.advance(10_000);
    expect(store.getState().users.has(cara)).to.equal(false);
    api.other.users = { users: [me, { userId: ben, name: "Ben" }, { userId: cara, name: "Cara" }] };
    await timers.advance(2000);
    expect(store.getState().users.get(cara)).to.equal("Cara");
    const reads = api.views.reads.filter((p) => p === "users").length;
    await timers.advance(60_000);
    expect(api.views.reads.filter((p) => p === "users")).to.have.length(reads);
  });
});
