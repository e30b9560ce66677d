/** Keeping the browser's channels current: pushes applied at once, gaps filled from the views. */
import { expect } from "chai";
import { pageSize } from "../../functions/domain/projections/channel";
import { ChannelSync } from "../../web/src/state/channelSync";
import { messagesOf } from "../../web/src/state/timeline";
import { ChannelHistory, channelIds, messageId } from "../support/domainFixtures";
import { FakeTimers, FakeViews } from "../support/browserFakes";

const channelId = channelIds.general;
const [ann, ben] = ["u-ann", "u-ben"];

function setup() {
  const views = new FakeViews();
  const timers = new FakeTimers();
  const h = views.add(new ChannelHistory(channelId));
  h.created(ann);
  h.joined(ben);
  let changes = 0;
  const sync = new ChannelSync({ api: views, timers, onChange: () => changes++, graceMs: 250, random: () => 1 });
  const texts = () => messagesOf(sync.timelines.get(channelId)!).map((m) => m.text);
  const pageReads = () => views.reads.filter((p) => p.includes("/pages/")).length;
  return { views, timers, h, sync, texts, pageReads, changes: () => changes };
}

describe("web channel sync", () => {
  it("opens a channel on its latest page", async () => {
    const { views, timers, h, sync, texts } = setup();
    h.sentMany(ann, pageSize + 3);
    sync.follow(channelId);
    await timers.advance(0);
    expect(views.reads).to.deep.equal([`channels/${channelId}`, `channels/${channelId}/pages/1`]);
    expect(texts()).to.have.length(3);
  });

  it("applies a pushed event at once, without reading the views", async () => {
    const { views, timers, h, sync, texts } = setup();
    sync.follow(channelId);
    await timers.advance(0);
    const reads = views.reads.length;
    sync.receive(h.sent(ben, messageId(1), "hi"));
    expect(texts()).to.deep.equal(["hi"]);
    await timers.advance(5000);
    expect(views.reads).to.have.length(reads);
  });

  it("waits a moment for a late push before reading the views for a gap", async () => {
    const { views, timers, h, sync, texts } = setup();
    sync.follow(channelId);
    await timers.advance(0);
    const reads = views.reads.length;
    const first = h.sent(ann, messageId(1), "one");
    const second = h.sent(ann, messageId(2), "two");
    sync.receive(second);
    await timers.advance(100);
    sync.receive(first);
    await timers.advance(5000);
    expect(texts()).to.deep.equal(["one", "two"]);
    expect(views.reads).to.have.length(reads);
  });

  it("fills a gap (a lost push) from the views", async () => {
    const { timers, h, sync, texts } = setup();
    sync.follow(channelId);
    await timers.advance(0);
    h.sent(ann, messageId(1), "lost in transit");
    sync.receive(h.sent(ann, messageId(2), "delivered"));
    expect(texts()).to.deep.equal([]);
    await timers.advance(250);
    expect(texts()).to.deep.equal(["lost in transit", "delivered"]);
  });

  it("reads again with backoff while the views lag behind the gap", async () => {
    const { views, timers, h, sync, texts } = setup();
    sync.follow(channelId);
    await timers.advance(0);
    h.sent(ann, messageId(1), "slow");
    views.lag.set(channelId, 2);
    sync.receive(h.sent(ann, messageId(2), "fast"));
    await timers.advance(250);
    expect(texts()).to.deep.equal([]);
    const reads = views.reads.length;
    await timers.advance(300);
    expect(views.reads.length).to.be.greaterThan(reads);
    views.lag.delete(channelId);
    await timers.advance(600);
    expect(texts()).to.deep.equal(["slow", "fast"]);
    const settled = views.reads.length;
    await timers.advance(60_000);
    expect(views.reads).to.have.length(settled);
  });

  it("reads the views when told of a seq it has not seen (our write, the directory after a reconnect)", async () => {
    const { timers, h, sync, texts } = setup();
    sync.follow(channelId);
    await timers.advance(0);
    const missed = h.sent(ben, messageId(1), "while you were away");
    sync.note(channelId, missed.seq);
    await timers.advance(250);
    expect(texts()).to.deep.equal(["while you were away"]);
  });

  it("follows only the heads of channels off screen, and their message counts", async () => {
    const { timers, h, sync, pageReads } = setup();
    sync.track(channelId);
    await timers.advance(0);
    sync.receive(h.sent(ben, messageId(1)));
    expect(sync.timelines.get(channelId)?.head?.messageCount).to.equal(1);
    expect(pageReads()).to.equal(0);
  });

  it("loads earlier pages on request", async () => {
    const { timers, h, sync, texts } = setup();
    h.sentMany(ann, pageSize * 2 + 1);
    sync.follow(channelId);
    await timers.advance(0);
    await sync.loadEarlier(channelId);
    await sync.loadEarlier(channelId);
    expect(texts()).to.have.length(pageSize * 2 + 1);
    expect(sync.timelines.get(channelId)?.oldestPage).to.equal(0);
  });

  it("reports a private channel it may not read, and stops asking", async () => {
    const { views, timers, sync } = setup();
    views.forbidden.add(channelId);
    sync.follow(channelId);
    await timers.advance(60_000);
    expect(sync.problem(channelId)).to.equal("forbidden");
    expect(views.reads).to.have.length(1);
  });

  it("says a channel is not found only after the views had a few chances to catch up", async () => {
    const { views, timers, sync } = setup();
    const missing = channelIds.random;
    sync.follow(missing);
    await timers.advance(0);
    expect(sync.problem(missing)).to.equal(undefined);
    await timers.advance(10_000);
    expect(sync.problem(missing)).to.equal("not_found");
    views.add(new ChannelHistory(missing)).created(ann, { name: "random" });
    await timers.advance(10_000);
    expect(sync.problem(missing)).to.equal(undefined);
    expect(sync.timelines.get(missing)?.head?.name).to.equal("random");
  });
});
