/** The realtime connection: events handed on, reconnects with backoff, a catch-up on every open. */
import { expect } from "chai";
import type { ChannelEvent, UserEvent } from "../../functions/domain/events";
import { RealtimeClient, type ConnectionStatus, type RealtimeOptions, watchForSleep } from "../../web/src/state/realtime";
import { ChannelHistory, channelIds, messageId } from "../support/domainFixtures";
import { FakeSocket, FakeTimers } from "../support/browserFakes";

function setup(options: Partial<RealtimeOptions> = { policy: { baseMs: 500, maxMs: 30_000 } }) {
  const timers = new FakeTimers();
  const sockets: FakeSocket[] = [];
  const events: (ChannelEvent | UserEvent)[] = [];
  const statuses: ConnectionStatus[] = [];
  let opens = 0;
  let token = 0;
  const client = new RealtimeClient({
    url: async () => `ws://chat/ws?token=t${++token}`,
    open: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    onEvent: (e) => events.push(e),
    onOpen: () => opens++,
    onStatus: (s) => statuses.push(s),
    timers,
    random: () => 1,
    ...options,
  });
  const last = () => sockets[sockets.length - 1]!;
  return { timers, sockets, events, statuses, client, last, opens: () => opens };
}

const history = new ChannelHistory(channelIds.general);
const created = history.created("u-ann");
const sent = history.sent("u-ann", messageId(1), "hi");

describe("web realtime connection", () => {
  it("connects with a fresh token and hands on every channel event it is sent", async () => {
    const { timers, client, last, events, opens } = setup();
    client.start();
    await timers.advance(0);
    expect(last().url).to.equal("ws://chat/ws?token=t1");
    last().accept();
    last().push(created);
    last().push(sent);
    expect(events).to.deep.equal([created, sent]);
    expect(opens()).to.equal(1);
    expect(client.status).to.equal("open");
  });

  it("ignores what is not a channel event", async () => {
    const { timers, client, last, events } = setup();
    client.start();
    await timers.advance(0);
    last().accept();
    for (const data of ["not json", JSON.stringify({ type: "hello" }), JSON.stringify({ type: "event", event: { stream: "user-x", seq: 1 } }), JSON.stringify({ message: "Forbidden" })]) {
      last().onmessage?.({ data });
    }
    expect(events).to.deep.equal([]);
  });

  it("hands on a pushed rename of a user (CONTRACT §14), the one user event pushed", async () => {
    const { timers, client, last, events } = setup();
    client.start();
    await timers.advance(0);
    last().accept();
    const renamed = { type: "user_renamed", userId: "u-ann", name: "Annie", stream: "user-u-ann", seq: 2 };
    last().onmessage?.({ data: JSON.stringify({ type: "event", event: renamed }) });
    expect(events).to.deep.equal([renamed]);
  });

  it("reconnects after a drop, waiting longer after each failure, with a new token, and catches up on open", async () => {
    const { timers, client, sockets, last, opens } = setup();
    client.start();
    await timers.advance(0);
    last().accept();
    last().drop();
    expect(client.status).to.equal("waiting");
    await timers.advance(499);
    expect(sockets).to.have.length(1);
    await timers.advance(1);
    expect(sockets).to.have.length(2);
    expect(last().url).to.equal("ws://chat/ws?token=t2");
    last().drop();
    await timers.advance(999);
    expect(sockets).to.have.length(2);
    await timers.advance(1);
    expect(sockets).to.have.length(3);
    last().accept();
    expect(opens()).to.equal(2);
  });

  it("starts the backoff over once a connection has held", async () => {
    const { timers, client, sockets, last } = setup();
    client.start();
    await timers.advance(0);
    last().drop();
    await timers.advance(500);
    last().drop();
    await timers.advance(1000);
    last().accept();
    await timers.advance(5000);
    last().drop();
    await timers.advance(500);
    expect(sockets).to.have.length(4);
  });

  /** The waits between tries while the server stays away, in ms: `drops` failed connections in a row. */
  async function waitsDuring(drops: number, options: Partial<RealtimeOptions>): Promise<number[]> {
    const { timers, client, last } = setup(options);
    client.start();
    await timers.advance(0);
    const waits: number[] = [];
    for (let i = 0; i < drops; i++) {
      const dropped = timers.now();
      const socket = last();
      socket.drop();
      while (last() === socket) await timers.advance(100);
      waits.push(timers.now() - dropped);
    }
    return waits;
  }

  it("waits at most 4 s between tries while the page is visible and up to 30 s while hidden, trying at once when shown", async () => {
    const visible = await waitsDuring(12, {});
    expect(visible.slice(0, 4)).to.deep.equal([500, 1000, 2000, 4000]);
    expect(Math.max(...visible)).to.equal(4000);
    let hidden = true;
    const { timers, client, sockets, last } = setup({ hidden: () => hidden });
    client.start();
    await timers.advance(0);
    for (let i = 0; i < 8; i++) {
      last().drop();
      await timers.advance(30_000);
    }
    const before = sockets.length;
    last().drop();
    await timers.advance(29_000);
    expect(sockets, "still waiting while hidden").to.have.length(before);
    hidden = false;
    client.wake();
    await timers.advance(0);
    expect(sockets).to.have.length(before + 1);
  });

  it("retries when no token can be had (the refresh failed while offline)", async () => {
    const timers = new FakeTimers();
    let calls = 0;
    const client = new RealtimeClient({
      url: async () => {
        if (++calls === 1) throw new Error("offline");
        return "ws://chat/ws?token=ok";
      },
      open: (url) => new FakeSocket(url),
      onEvent: () => undefined,
      onOpen: () => undefined,
      timers,
      random: () => 1,
    });
    client.start();
    await timers.advance(0);
    expect(client.status).to.equal("waiting");
    await timers.advance(500);
    expect(calls).to.equal(2);
    expect(client.status).to.equal("connecting");
  });

  it("reconnects at once when woken (online again, tab shown) instead of waiting out the backoff", async () => {
    const { timers, client, sockets, last } = setup();
    client.start();
    await timers.advance(0);
    last().drop();
    client.wake();
    await timers.advance(0);
    expect(sockets).to.have.length(2);
  });

  it("catches up when woken while connected", async () => {
    const { timers, client, last, opens } = setup();
    client.start();
    await timers.advance(0);
    last().accept();
    client.wake();
    expect(opens()).to.equal(2);
  });

  it("replaces a socket that may be dead after a sleep", async () => {
    const { timers, client, sockets, last, events } = setup();
    client.start();
    await timers.advance(0);
    const old = last();
    old.accept();
    client.restart();
    await timers.advance(0);
    expect(old.closed).to.equal(true);
    expect(sockets).to.have.length(2);
    old.push(sent);
    expect(events).to.deep.equal([]);
  });

  it("stops for good", async () => {
    const { timers, client, sockets, last, statuses } = setup();
    client.start();
    await timers.advance(0);
    last().accept();
    client.stop();
    await timers.advance(120_000);
    expect(sockets).to.have.length(1);
    expect(last().closed).to.equal(true);
    expect(statuses[statuses.length - 1]).to.equal("stopped");
  });

  it("notices a sleep from a timer that fires far too late", async () => {
    const timers = new FakeTimers();
    let wakes = 0;
    const stop = watchForSleep(timers, () => wakes++, 5000, 15_000);
    await timers.advance(60_000);
    expect(wakes).to.equal(0);
    timers.sleep(120_000);
    await timers.advance(5000);
    expect(wakes).to.equal(1);
    stop();
  });
});
