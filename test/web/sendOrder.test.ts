/**
 * One person's messages to a channel are stored in the order typed (CONTRACT §14), however
 * long each request takes: the web sends them one after another per channel, while the
 * screen shows them all at once.
 */
import { expect } from "chai";
import { ApiError, type WriteAnswer } from "../../web/src/api/apiError";
import { ChatStore } from "../../web/src/state/chatStore";
import { rowsFor } from "../../web/src/state/selectors";
import { ChannelHistory, channelIds } from "../support/domainFixtures";
import { answerFor, FakeApi, FakeTimers } from "../support/browserFakes";
import { seededRandom as seeded } from "../support/seededRandom";

const me = { userId: "u-ann", name: "Ann" };
const ben = "u-ben";
const { general, random } = channelIds;

/**
 * Ann in #general and #random. The fake store takes `delayOf(channelId)` ms to handle each
 * request and stores the message when it handles it (as a server does when requests overlap).
 */
async function setup(delayOf: (channelId: string) => number) {
  const api = new FakeApi();
  const timers = new FakeTimers();
  const histories = new Map<string, ChannelHistory>();
  for (const channelId of [general, random]) {
    const h = api.views.add(new ChannelHistory(channelId));
    h.created(ben);
    h.joined(me.userId);
    histories.set(channelId, h);
  }
  let ids = 0;
  const store = new ChatStore({ api, me, timers, newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`, random: () => 1 });
  api.other = { users: { users: [me, { userId: ben, name: "Ben" }] }, "users/me": { channels: [general, random] }, channels: { channels: [] } };
  /** What the store holds, per channel, in stored order. */
  const stored = (channelId: string) =>
    histories
      .get(channelId)!
      .events.filter((e) => e.type === "message_sent")
      .map((e) => (e as { text: string }).text);
  const storeIt = (body: Record<string, unknown>): WriteAnswer => {
    const h = histories.get(body.channelId as string)!;
    const event = h.sent(me.userId, body.messageId as string, body.text as string);
    queueMicrotask(() => store.receive(event));
    return answerFor(event);
  };
  api.onPost = (body) =>
    new Promise<WriteAnswer>((resolve) => {
      timers.setTimeout(() => resolve(storeIt(body)), delayOf(body.channelId as string));
    });
  await store.start();
  await timers.advance(0);
  const rows = (channelId: string) => rowsFor(store.getState().timelines.get(channelId), store.getState().outbox);
  return { api, timers, store, stored, storeIt, rows };
}

const typed = (n: number, prefix = "message") => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

describe("web: the order one person's messages are stored in", () => {
  it("stores 15 messages typed 300 ms apart over a jittery network (0–800 ms a request) in the order typed", async () => {
    const jitter = seeded(20240601);
    const { api, timers, store, stored, rows } = await setup(() => Math.floor(jitter() * 800));
    store.open(general);
    await timers.advance(0);
    const texts = typed(15);
    for (const text of texts) {
      store.writes.send(general, text);
      expect(rows(general).map((r) => r.text)).to.deep.equal(texts.slice(0, texts.indexOf(text) + 1), "shown at once, in the order typed");
      await timers.advance(300);
    }
    await timers.advance(20_000);
    expect(api.posts.map((p) => p.body.text)).to.deep.equal(texts);
    expect(stored(general)).to.deep.equal(texts);
    expect(rows(general).map((r) => [r.text, r.status])).to.deep.equal(texts.map((t) => [t, undefined]));
  });

  it("stores 20 back-to-back messages in the order typed, one request at a time", async () => {
    const jitter = seeded(7);
    const { api, timers, store, stored } = await setup(() => Math.floor(jitter() * 800));
    let inFlight = 0;
    let most = 0;
    const serve = api.onPost;
    api.onPost = async (body, key) => {
      most = Math.max(most, ++inFlight);
      try {
        return await serve(body, key);
      } finally {
        inFlight--;
      }
    };
    const texts = typed(20);
    for (const text of texts) store.writes.send(general, text);
    await timers.advance(30_000);
    expect(stored(general)).to.deep.equal(texts);
    expect(most).to.equal(1);
  });

  it("does not hold up another channel's messages behind a slow one", async () => {
    const { api, timers, store, stored } = await setup((channelId) => (channelId === general ? 60_000 : 10));
    store.writes.send(general, "slow 1");
    store.writes.send(general, "slow 2");
    for (const text of typed(3, "quick")) store.writes.send(random, text);
    await timers.advance(1000);
    expect(stored(random)).to.deep.equal(typed(3, "quick"));
    expect(stored(general)).to.deep.equal([]);
    expect(api.posts.filter((p) => p.body.channelId === general).map((p) => p.body.text)).to.deep.equal(["slow 1"]);
    await timers.advance(120_000);
    expect(stored(general)).to.deep.equal(["slow 1", "slow 2"]);
  });

  it("keeps later messages waiting while one is retried after network failures, with its first Idempotency-Key and messageId", async () => {
    const { api, timers, store, stored, storeIt } = await setup(() => 0);
    let failures = 2;
    api.onPost = (body) => {
      if (body.text === "first" && failures-- > 0) throw new ApiError(0, "network", "Could not reach the server.");
      return storeIt(body);
    };
    store.writes.send(general, "first");
    store.writes.send(general, "second");
    store.writes.send(general, "third");
    await timers.advance(10_000);
    expect(stored(general)).to.deep.equal(["first", "second", "third"]);
    const firsts = api.posts.filter((p) => p.body.text === "first");
    expect(firsts).to.have.length(3);
    expect(new Set(firsts.map((p) => p.idempotencyKey)).size).to.equal(1);
    expect(new Set(firsts.map((p) => p.body.messageId)).size).to.equal(1);
    expect(api.posts.map((p) => p.body.text)).to.deep.equal(["first", "first", "first", "second", "third"]);
  });

  it("marks a refused message failed and goes on with the next ones; a retry goes to the back of the queue", async () => {
    const { api, timers, store, stored, storeIt, rows } = await setup(() => 0);
    store.open(general);
    await timers.advance(0);
    api.onPost = (body) => {
      if (body.text === "refused") throw new ApiError(400, "invalid_field", "Too long.");
      return storeIt(body);
    };
    for (const text of ["one", "refused", "two"]) store.writes.send(general, text);
    await timers.advance(1000);
    expect(stored(general)).to.deep.equal(["one", "two"]);
    expect(rows(general).map((r) => [r.text, r.status])).to.deep.equal([
      ["one", undefined],
      ["two", undefined],
      ["refused", "failed"],
    ]);
    api.onPost = storeIt;
    store.writes.send(general, "three");
    store.writes.retry(rows(general).find((r) => r.text === "refused")!.idempotencyKey!);
    await timers.advance(1000);
    expect(stored(general)).to.deep.equal(["one", "two", "three", "refused"]);
  });

  it("keeps the next ones waiting behind a message that gets no answer, however long, and sends nothing discarded meanwhile", async () => {
    const { api, timers, store, stored, storeIt, rows } = await setup(() => 0);
    store.open(general);
    await timers.advance(0);
    let offline = true;
    api.onPost = (body) => {
      if (offline) throw new ApiError(0, "network", "Could not reach the server.");
      return storeIt(body);
    };
    store.writes.send(general, "delayed");
    store.writes.send(general, "after");
    store.writes.send(general, "thrown away");
    const discarded = rows(general).find((r) => r.text === "thrown away")!.idempotencyKey!;
    store.writes.discard(discarded);
    await timers.advance(60_000);
    expect(new Set(api.posts.map((p) => p.body.text))).to.deep.equal(new Set(["delayed"]));
    expect(rows(general).map((r) => [r.text, r.status])).to.deep.equal([
      ["delayed", "waiting"],
      ["after", "waiting"],
    ]);
    offline = false;
    await timers.advance(10_000);
    expect(stored(general)).to.deep.equal(["delayed", "after"]);
    expect(rows(general).map((r) => [r.text, r.status])).to.deep.equal([
      ["delayed", undefined],
      ["after", undefined],
    ]);
  });
});
