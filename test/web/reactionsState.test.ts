/**
 * Reactions in the web's state: ours show at once and go with one Idempotency-Key until
 * answered, in the order pressed; a refused one is dropped; everyone's pushed reactions
 * land on the page, open or sealed, through the projection's own folds.
 */
import { expect } from "chai";
import { pageSize } from "../../functions/domain/projections/channel";
import { ApiError } from "../../web/src/api/apiError";
import { ben, general, me, setupChatStore as setup } from "../support/chatStoreFixture";
import { messageId } from "../support/domainFixtures";
import { MapStorage } from "../support/mapStorage";

const reactionsOf = (rows: { messageId: string; reactions?: unknown }[], id: string) => rows.find((r) => r.messageId === id)?.reactions;

describe("web reactions state", () => {
  it("shows our reaction at once, keeps it when the push comes back, and takes it back at once", async () => {
    const { api, timers, h, store, rows } = await setup();
    store.receive(h.sent(ben, messageId(1), "news"));
    store.receive(h.reacted(ben, messageId(1), "tada"));
    store.open(general);
    await timers.advance(0);
    store.writes.react(general, messageId(1), "tada", true);
    expect(reactionsOf(rows(), messageId(1))).to.deep.equal([{ emoji: "tada", count: 2, userIds: [ben, me.userId] }]);
    await timers.advance(0);
    expect(store.getState().outbox).to.deep.equal([]);
    expect(reactionsOf(rows(), messageId(1))).to.deep.equal([{ emoji: "tada", count: 2, userIds: [ben, me.userId] }]);
    expect(api.posts.at(-1)!.body).to.deep.equal({ type: "reaction_added", channelId: general, messageId: messageId(1), emoji: "tada" });
    store.writes.react(general, messageId(1), "tada", false);
    expect(reactionsOf(rows(), messageId(1))).to.deep.equal([{ emoji: "tada", count: 1, userIds: [ben] }]);
    store.writes.react(general, messageId(1), "+1", true);
    await timers.advance(0);
    expect(reactionsOf(rows(), messageId(1))).to.deep.equal([{ emoji: "tada", count: 1, userIds: [ben] }, { emoji: "+1", count: 1, userIds: [me.userId] }]);
    expect(api.posts.slice(-2).map((p) => p.body.type)).to.deep.equal(["reaction_removed", "reaction_added"]);
  });

  it("applies reactions others make, pushed, to messages of the open page and of a sealed one", async () => {
    const { timers, h, store, rows } = await setup();
    for (let i = 0; i <= pageSize; i++) store.receive(h.sent(ben, messageId(i)));
    store.open(general);
    await timers.advance(0);
    await store.sync.loadEarlier(general);
    await timers.advance(0);
    store.receive(h.reacted(ben, messageId(0), "eyes"));
    store.receive(h.reacted(ben, messageId(pageSize), "eyes"));
    store.receive(h.reacted(ben, messageId(pageSize), "rocket"));
    store.receive(h.unreacted(ben, messageId(pageSize), "eyes"));
    expect(reactionsOf(rows(), messageId(0)), "sealed page").to.deep.equal([{ emoji: "eyes", count: 1, userIds: [ben] }]);
    expect(reactionsOf(rows(), messageId(pageSize)), "open page").to.deep.equal([{ emoji: "rocket", count: 1, userIds: [ben] }]);
  });

  it("sends a reaction again with its first Idempotency-Key until answered, and sends one emoji's presses in order", async () => {
    const { api, timers, h, store, rows } = await setup();
    store.receive(h.sent(ben, messageId(1)));
    store.open(general);
    await timers.advance(0);
    const serve = api.onPost;
    let failures = 2;
    api.onPost = (body, key) => {
      if (failures-- > 0) throw new ApiError(503, "busy", "The channel is very busy; retry shortly.", 10);
      return serve!(body, key);
    };
    store.writes.react(general, messageId(1), "tada", true);
    store.writes.react(general, messageId(1), "tada", false);
    store.writes.react(general, messageId(1), "tada", true);
    expect(reactionsOf(rows(), messageId(1))).to.deep.equal([{ emoji: "tada", count: 1, userIds: [me.userId] }]);
    await timers.advance(10_000);
    const sent = api.posts.map((p) => [p.body.type, p.idempotencyKey]);
    expect(sent.slice(0, 3).map(([, key]) => key)).to.deep.equal([sent[0]![1], sent[0]![1], sent[0]![1]]);
    expect(sent.slice(2).map(([type]) => type)).to.deep.equal(["reaction_added", "reaction_removed", "reaction_added"]);
    expect(new Set(sent.map(([, key]) => key)).size).to.equal(3);
    expect(reactionsOf(rows(), messageId(1))).to.deep.equal([{ emoji: "tada", count: 1, userIds: [me.userId] }]);
    expect(store.getState().outbox).to.deep.equal([]);
  });

  it("drops a refused reaction: the message shows what the server holds", async () => {
    const { api, timers, h, store, rows } = await setup();
    store.receive(h.sent(ben, messageId(1)));
    store.open(general);
    await timers.advance(0);
    api.onPost = () => {
      throw new ApiError(404, "message_not_found", "No such message.");
    };
    store.writes.react(general, messageId(1), "tada", true);
    expect(reactionsOf(rows(), messageId(1))).to.have.length(1);
    await timers.advance(0);
    expect(reactionsOf(rows(), messageId(1))).to.equal(undefined);
    expect(store.getState().outbox).to.deep.equal([]);
    expect(api.posts).to.have.length(1);
  });

  it("keeps a reaction not yet answered across a reload, shown at once, and sends it again with its first Idempotency-Key", async () => {
    const storage = new MapStorage();
    const { api, timers, h, store, rows, reload } = await setup({ storage });
    store.receive(h.sent(ben, messageId(1)));
    const serve = api.onPost;
    api.onPost = () => {
      throw new ApiError(0, "network", "Could not reach the server. Check your connection.");
    };
    store.writes.react(general, messageId(1), "eyes", true);
    await timers.advance(5000);
    const key = api.posts[0]!.idempotencyKey;
    api.onPost = serve;
    const again = await reload();
    again.open(general);
    await timers.advance(0);
    expect(reactionsOf(rows(), messageId(1))).to.deep.equal([{ emoji: "eyes", count: 1, userIds: [me.userId] }]);
    expect(api.posts.at(-1)).to.deep.include({ idempotencyKey: key });
    expect(h.events.filter((e) => e.type === "reaction_added")).to.have.length(1);
    expect(storage.keys()).to.deep.equal([]);
  });
});
