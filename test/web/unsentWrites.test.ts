/**
 * "No message lost" across a reload: writes not answered yet are kept in the browser's
 * storage from the moment they are queued, restored by the next page as they were, sent
 * again by themselves with their first Idempotency-Key and messageId in the order typed, and
 * forgotten once answered, discarded, or at sign-out.
 */
import { expect } from "chai";
import { ApiError } from "../../web/src/api/apiError";
import { general, me, setupChatStore as setup } from "../support/chatStoreFixture";
import { MapStorage } from "../support/mapStorage";

const offline = () => new ApiError(0, "network", "Could not reach the server. Check your connection.");

const sentTexts = (events: readonly { type: string; text?: string }[]) => events.filter((e) => e.type === "message_sent").map((e) => e.text);

describe("web unsent writes kept across a reload", () => {
  it("keeps each write in storage from the moment it is queued, and lets go of it once answered", async () => {
    const storage = new MapStorage();
    const { api, timers, store } = await setup({ storage });
    const serve = api.onPost;
    api.onPost = () => {
      throw offline();
    };
    store.writes.send(general, "one");
    store.writes.send(general, "two");
    const keys = store.getState().outbox.map((w) => `chat.outbox.${me.userId}.${w.idempotencyKey}`);
    expect(storage.keys()).to.have.members(keys);
    await timers.advance(10_000);
    expect(storage.keys()).to.have.members(keys);
    api.onPost = serve;
    store.wake();
    await timers.advance(0);
    expect(storage.keys()).to.deep.equal([]);
  });

  it("restores unsent messages after a reload during an outage, waiting, and sends them again by themselves with their first Idempotency-Key and messageId, in typed order, each stored once even when the first request had reached the server", async () => {
    const storage = new MapStorage();
    const { api, timers, h, store, rows, reload } = await setup({ storage });
    store.open(general);
    await timers.advance(0);
    const serve = api.onPost;
    // The server as it is: a request with a key it already answered gets the first answer again.
    const answers = new Map<string, ReturnType<typeof serve>>();
    const server: typeof serve = (body, key) => answers.get(key) ?? answers.set(key, serve(body, key)).get(key)!;
    let first = true;
    api.onPost = (body, key) => {
      // The first message reaches the server and is stored, but its answer is lost.
      if (first) server(body, key);
      first = false;
      throw offline();
    };
    store.writes.send(general, "one");
    store.writes.send(general, "two");
    await timers.advance(10_000);
    const before = store.getState().outbox.map((w) => [w.kind === "react" ? w.emoji : w.text, w.messageId, w.idempotencyKey]);
    // The views are out of reach too: the reloaded page cannot read the channel.
    const unreadable = ["users/me", `channels/${general}`, `channels/${general}/pages/0`];
    for (const path of unreadable) api.other[path] = offline();
    const posted = api.posts.length;
    const again = await reload();
    again.open(general);
    await timers.advance(0);
    expect(rows().map((r) => [r.text, r.status])).to.deep.equal([
      ["one", "waiting"],
      ["two", "waiting"],
    ]);
    api.onPost = server;
    for (const path of unreadable) delete api.other[path];
    api.other["users/me"] = { channels: [general] };
    again.wake();
    await timers.advance(5000);
    expect(sentTexts(h.events)).to.deep.equal(["one", "two"]);
    const resent = api.posts.slice(posted).map((p) => [p.body.text, p.body.messageId, p.idempotencyKey]);
    expect(resent.filter((p) => p[0] === "one").every((p) => p[1] === before[0]![1] && p[2] === before[0]![2])).to.equal(true);
    expect(resent.filter((p) => p[0] === "two").every((p) => p[1] === before[1]![1] && p[2] === before[1]![2])).to.equal(true);
    expect(resent.map((p) => p[0])).to.include.members(["one", "two"]);
    expect(rows().map((r) => [r.text, r.status])).to.deep.equal([
      ["one", undefined],
      ["two", undefined],
    ]);
    expect(storage.keys()).to.deep.equal([]);
  });

  it("shows a refused message as not sent after a reload, does not send it by itself, and forgets it once discarded", async () => {
    const storage = new MapStorage();
    const { api, timers, store, rows, reload } = await setup({ storage });
    api.onPost = () => {
      throw new ApiError(403, "forbidden", "You are not a member of this channel.");
    };
    store.writes.send(general, "refused");
    await timers.advance(0);
    const posted = api.posts.length;
    const again = await reload();
    await timers.advance(10_000);
    expect(rows().map((r) => [r.text, r.status])).to.deep.equal([["refused", "failed"]]);
    expect(api.posts).to.have.length(posted);
    again.writes.discard(again.getState().outbox[0]!.idempotencyKey);
    expect(storage.keys()).to.deep.equal([]);
  });

  it("forgets the kept writes at sign-out, and only that person's", async () => {
    const storage = new MapStorage();
    storage.setItem("chat.outbox.u-ben.k1", "{}");
    const { api, timers, store, rows, reload } = await setup({ storage });
    api.onPost = () => {
      throw offline();
    };
    store.writes.send(general, "never mind");
    await timers.advance(0);
    store.forgetUnsent();
    expect(storage.keys()).to.deep.equal(["chat.outbox.u-ben.k1"]);
    const posted = api.posts.length;
    await reload();
    await timers.advance(10_000);
    expect(rows()).to.deep.equal([]);
    expect(api.posts).to.have.length(posted);
  });
});
