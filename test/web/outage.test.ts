/**
 * The chat state through an outage: writes that get no answer (or a 5xx, a 429) are sent
 * again by themselves, a few seconds apart at most, in the order typed, and at once when the
 * connection is back; channels that cannot be read say so and are read again by themselves.
 */
import { expect } from "chai";
import { ApiError } from "../../web/src/api/apiError";
import { ChannelHistory, channelIds } from "../support/domainFixtures";
import { ben, general, setupChatStore as setup } from "../support/chatStoreFixture";

const offline = () => new ApiError(0, "network", "Could not reach the server. Check your connection.");

describe("web chat state through an outage", () => {
  it("never fails a message that gets no answer: it waits for the connection, sent again at most 4 s apart, and those typed after it wait with it", async () => {
    const { api, timers, h, store, rows } = await setup();
    store.open(general);
    await timers.advance(0);
    const serve = api.onPost;
    const tries: number[] = [];
    api.onPost = () => {
      tries.push(timers.now());
      throw offline();
    };
    for (const text of ["one", "two", "three"]) store.writes.send(general, text);
    await timers.advance(60_000);
    expect(rows().map((r) => [r.text, r.status])).to.deep.equal([
      ["one", "waiting"],
      ["two", "waiting"],
      ["three", "waiting"],
    ]);
    const gaps = tries.slice(1).map((t, i) => t - tries[i]!);
    expect(Math.max(...gaps)).to.equal(4000);
    expect(new Set(api.posts.map((p) => p.idempotencyKey)).size).to.equal(1);
    api.onPost = serve;
    await timers.advance(4000);
    expect(h.events.filter((e) => e.type === "message_sent").map((e) => (e as { text: string }).text)).to.deep.equal(["one", "two", "three"]);
    expect(rows().map((r) => [r.text, r.status])).to.deep.equal([
      ["one", undefined],
      ["two", undefined],
      ["three", undefined],
    ]);
  });

  it("sends a waiting message at once when the connection is back, not after the backoff", async () => {
    const { api, timers, store, rows } = await setup();
    store.open(general);
    await timers.advance(0);
    const serve = api.onPost;
    api.onPost = () => {
      throw offline();
    };
    store.writes.send(general, "held");
    await timers.advance(20_000);
    const posts = api.posts.length;
    api.onPost = serve;
    store.reconnected();
    await timers.advance(0);
    expect(api.posts).to.have.length(posts + 1);
    expect(rows().map((r) => [r.text, r.status])).to.deep.equal([["held", undefined]]);
    api.onPost = () => {
      throw offline();
    };
    store.writes.send(general, "held again");
    await timers.advance(20_000);
    api.onPost = serve;
    store.wake();
    await timers.advance(0);
    expect(rows().map((r) => [r.text, r.status])).to.deep.equal([
      ["held", undefined],
      ["held again", undefined],
    ]);
  });

  it("sends again by itself after a 5xx, a 408 or a 429, showing the message as sending, never as failed", async () => {
    const { api, timers, store, rows } = await setup();
    store.open(general);
    await timers.advance(0);
    const serve = api.onPost;
    const answers = [500, 502, 503, 408, 429, 504];
    api.onPost = (body, key) => {
      const status = answers.shift();
      if (status === undefined) return serve(body, key);
      throw new ApiError(status, `http_${status}`, "Busy.");
    };
    store.writes.send(general, "persistent");
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 40; i++) {
      await timers.advance(500);
      seen.add(rows()[0]?.status);
    }
    expect([...seen]).to.deep.equal(["sending", undefined]);
    expect(rows().map((r) => r.text)).to.deep.equal(["persistent"]);
    expect(new Set(api.posts.map((p) => p.idempotencyKey)).size).to.equal(1);
    expect(api.posts).to.have.length(7);
  });

  it("says why our channels cannot be read (not that there are none), reads them again by itself, and at once on Retry", async () => {
    const { api, timers, store, sidebar } = await setup({ other: { "users/me": new ApiError(500, "internal", "Internal error.") } });
    expect(store.getState()).to.include({ ready: false, loadError: "Your channels could not be loaded (the server answered 500)." });
    const reads = () => api.views.reads.filter((p) => p === "users/me").length;
    await timers.advance(60_000);
    expect(reads()).to.be.greaterThan(15);
    api.other["users/me"] = offline();
    await timers.advance(4000);
    expect(store.getState().loadError).to.equal("Can't reach the server. Check your connection.");
    api.other["users/me"] = { channels: [general] };
    await store.load();
    await timers.advance(0);
    expect(store.getState()).to.include({ ready: true, loadError: undefined });
    expect(sidebar().map((c) => c.name)).to.deep.equal(["general"]);
    const after = reads();
    await timers.advance(60_000);
    expect(reads()).to.equal(after);
  });

  it("says a channel opened offline cannot be loaded, and shows it once it can be read", async () => {
    const { api, timers, store } = await setup();
    const path = `channels/${channelIds.random}`;
    api.views.add(new ChannelHistory(channelIds.random)).created(ben, { name: "random" });
    api.other[path] = offline();
    store.open(channelIds.random);
    await timers.advance(0);
    expect(store.getState().problems.get(channelIds.random)).to.equal("unavailable");
    await timers.advance(30_000);
    expect(store.getState().problems.get(channelIds.random)).to.equal("unavailable");
    delete api.other[path];
    await timers.advance(4000);
    expect(store.getState().problems.has(channelIds.random)).to.equal(false);
    expect(store.getState().timelines.get(channelIds.random)?.head?.name).to.equal("random");
  });
});
