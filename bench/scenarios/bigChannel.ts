/**
 * Big channel: does a message cost a channel of 20,000 members what it costs one of 10?
 * Both channels have the same people online, each with a real socket; everyone else is
 * seeded straight into the store (seed.ts). The online people joined the big channel
 * before opening their sockets (so `$connect` enters them) and the small one after (so
 * notify enters them as they join). Messages go one at a time, alternating between the
 * channels, each left to settle before the next: each POST and each notify run is that
 * message's alone. Lost: accepted messages missing from the channel's views or from any
 * online member's socket.
 */
import { randomUUID } from "node:crypto";
import type { Person } from "../../test/support/chatApi";
import { listen, type Pushed } from "../../test/support/socket";
import type WebSocket from "ws";
import { createChannel, messageText, postEvent } from "../clients";
import type { Config } from "../config";
import { diff, sum } from "../counters";
import type { Bench } from "../harness";
import { note } from "../progress";
import { seedMembers } from "../seed";
import { percentiles, round } from "../stats";
import { oursLosses, type SentMessage } from "../verify";

export interface ChannelScale {
  members: number;
  /** Accepted messages missing from the channel's views or from an online member's socket. */
  lost: number;
  postMs: { p50: number };
  /** Wall time of the notify function per message. */
  notifyMsPerMessage: number;
}

export interface BigChannelResult {
  bigChannel: ChannelScale;
  smallChannel: ChannelScale;
}

interface Measured {
  channelId: string;
  members: number;
  sent: SentMessage[];
  postMs: number[];
  notifyMs: number;
}

/** How long the sockets may take to receive what the bus has already pushed. */
const socketGraceMs = 10_000;

export async function bigChannel(bench: Bench, config: Config["bigChannel"], people: readonly Person[]): Promise<BigChannelResult> {
  const api = bench.sandbox.urls.api;
  const online = people.slice(0, config.online);
  const [poster] = online;
  if (!poster || online.length < config.online) throw new Error(`the big channel needs ${config.online} people online`);
  const silent = (count: number) => Array.from({ length: Math.max(0, count - online.length) }, () => randomUUID());

  note(`big channel: ${config.members.toLocaleString("en-US")} members, ${online.length} online`);
  const big = await createChannel(api, poster, "big", online);
  await bench.idle();
  await seedMembers(bench, big, silent(config.members));
  await bench.idle();
  const sockets = await Promise.all(online.map((person) => listen(bench.sandbox, person.token)));
  try {
    const small = await createChannel(api, poster, "small", online);
    await seedMembers(bench, small, silent(config.smallMembers));
    await bench.idle();

    const measured: Measured[] = [big, small].map((channelId, i) => ({ channelId, members: i === 0 ? config.members : config.smallMembers, sent: [], postMs: [], notifyMs: 0 }));
    for (let i = 0; i < config.messages; i++) {
      if (i % 50 === 0) note(`big channel: message ${i + 1}/${config.messages} into each channel`);
      // Alternating which goes first, so neither channel always follows the other's settling.
      for (const m of i % 2 === 0 ? measured : [...measured].reverse()) {
        const before = bench.counters.snapshot();
        const messageId = randomUUID();
        const posted = await postEvent(api, poster, { type: "message_sent", channelId: m.channelId, messageId, text: messageText(i) });
        await bench.idle();
        m.sent.push({ channelId: m.channelId, messageId, seq: posted.accepted.seq, acceptedAt: Date.parse(posted.accepted.timestamp) });
        m.postMs.push(posted.ms);
        m.notifyMs += sum(diff(bench.counters.snapshot(), before), "lambda|notify|ms");
      }
    }
    const [bigScale, smallScale] = await Promise.all(measured.map((m) => scaleOf(bench, m, sockets.map((s) => s.received))));
    note(`big channel: POST p50 ${bigScale!.postMs.p50} ms (small ${smallScale!.postMs.p50} ms), notify ${bigScale!.notifyMsPerMessage} ms per message (small ${smallScale!.notifyMsPerMessage} ms), lost ${bigScale!.lost} / ${smallScale!.lost}`);
    return { bigChannel: bigScale!, smallChannel: smallScale! };
  } finally {
    await closeAll(bench, sockets.map((s) => s.ws));
  }
}

/** Closes the sockets and waits for their `$disconnect` runs, which must not outlive the sandbox. */
async function closeAll(bench: Bench, sockets: WebSocket[]): Promise<void> {
  const disconnects = () => sum(bench.counters.snapshot(), "lambda|disconnect|n");
  const before = disconnects();
  for (const ws of sockets) ws.close();
  const deadline = Date.now() + socketGraceMs;
  while (disconnects() < before + sockets.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

async function scaleOf(bench: Bench, m: Measured, sockets: Pushed[][]): Promise<ChannelScale> {
  const stream = `channel-${m.channelId}`;
  const missingOn = (received: Pushed[]) => {
    const seen = new Set(received.filter((p) => p.event.stream === stream).map((p) => p.event.seq));
    return m.sent.filter((s) => !seen.has(s.seq)).map((s) => s.messageId);
  };
  const deadline = Date.now() + socketGraceMs;
  while (sockets.some((r) => missingOn(r).length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const missing = new Set(sockets.flatMap(missingOn));
  const fromViews = (await oursLosses(bench.direct.views, m.sent)).lost;
  const lost = fromViews === 0 ? missing.size : new Set([...missing, ...(await missingFromViews(bench, m))]).size;
  return {
    members: m.members,
    lost,
    postMs: { p50: percentiles(m.postMs).p50 },
    notifyMsPerMessage: round(m.notifyMs / Math.max(1, m.sent.length)),
  };
}

/** The messages of `m` the views do not show (read one by one only when some are lost). */
async function missingFromViews(bench: Bench, m: Measured): Promise<string[]> {
  const missing: string[] = [];
  for (const s of m.sent) if ((await oursLosses(bench.direct.views, [s])).lost > 0) missing.push(s.messageId);
  return missing;
}
