/**
 * Throughput: several people in several channels, each posting without pause (the next
 * message once the last is accepted), for a fixed time: accepted events per second, the
 * API's latency, the views' lag, and what a message costs when the system is busy.
 */
import { randomUUID } from "node:crypto";
import type { Person } from "../../test/support/chatApi";
import { createChannel, messageText, postEvent } from "../clients";
import type { Config } from "../config";
import { type Counts, diff, sum } from "../counters";
import { costPerMillion, designFigures, edgeTotals, type CostFigures } from "../figures";
import type { Bench } from "../harness";
import { LagProbe } from "../lag";
import { seedJoins } from "../seed";
import { note, ticker } from "../progress";
import { type Percentiles, percentiles, round } from "../stats";
import { baselineLosses, oursLosses, storedTwice, type SentMessage } from "../verify";

export interface ThroughputResult {
  users: number;
  channels: number;
  seconds: number;
  messages: number;
  eventsPerSecond: number;
  postMs: Percentiles;
  clientRetries: number;
  /** From the end of posting until both designs' views had every message. */
  drainSeconds: number;
  lagMs: { ours: Percentiles; baseline: Percentiles };
  lost: { ours: number; baseline: number };
  /** Ours: messages shown twice in the views, and messages the store holds twice. */
  duplicated: { shownTwice: number; storedTwice: number };
  s3PutsPerMessage: { ours: number; baseline: number };
  s3PutBytesPerMessage: { ours: number; baseline: number };
  costPerMillionMessagesUsd: CostFigures;
  /** Deliveries the bus gave up on (after its retries), and function runs that failed. */
  deadLettered: number;
  functionErrors: number;
  counters: ReturnType<typeof edgeTotals>;
  raw: Counts;
}

export async function throughput(bench: Bench, config: Config["throughput"], everyone: readonly Person[]): Promise<ThroughputResult> {
  const api = bench.sandbox.urls.api;
  note(`throughput: ${config.users} people in ${config.channels} channels`);
  const people = everyone.slice(0, config.users);
  if (people.length < config.users) throw new Error(`the throughput run needs ${config.users} people`);
  const channelOf = (i: number) => i % config.channels;
  const channels: string[] = [];
  for (let c = 0; c < config.channels; c++) {
    const members = people.filter((_, i) => channelOf(i) === c);
    const channelId = await createChannel(api, members[0] as Person, `busy-${c}`);
    await bench.idle();
    await seedJoins(bench, channelId, members.slice(1).map((m) => m.userId));
    channels.push(channelId);
  }
  await bench.idle();

  const probe = new LagProbe(bench.s3Meter, channels);
  const before = bench.counters.snapshot();
  const deadLetteredBefore = bench.sandbox.bus.stats().deadLettered;
  const sent: SentMessage[] = [];
  const postMs: number[] = [];
  let retries = 0;
  const started = performance.now();
  const deadline = started + config.seconds * 1000;
  const stopTicker = ticker(() => `throughput: ${sent.length} accepted, ${(sent.length / ((performance.now() - started) / 1000)).toFixed(1)}/s`);
  try {
    await Promise.all(
      people.map(async (person, i) => {
        const channelId = channels[channelOf(i)]!;
        for (let k = 0; performance.now() < deadline; k++) {
          const messageId = randomUUID();
          const posted = await postEvent(api, person, { type: "message_sent", channelId, messageId, text: messageText(i * 100_000 + k) });
          sent.push({ channelId, messageId, seq: posted.accepted.seq, acceptedAt: Date.parse(posted.accepted.timestamp) });
          postMs.push(posted.ms);
          retries += posted.retries;
        }
      }),
    );
  } finally {
    stopTicker();
  }
  const seconds = (performance.now() - started) / 1000;
  note(`throughput: ${sent.length} accepted in ${seconds.toFixed(1)} s; waiting for the views`);
  await bench.idle();
  const drainSeconds = (performance.now() - started) / 1000 - seconds;
  const counts = diff(bench.counters.snapshot(), before);
  const deadLettered = bench.sandbox.bus.stats().deadLettered - deadLetteredBefore;
  probe.stop();

  const n = sent.length;
  const ours = designFigures(counts, "ours");
  const baseline = designFigures(counts, "baseline");
  const oursLoss = await oursLosses(bench.direct.views, sent);
  const lost = { ours: oursLoss.lost, baseline: (await baselineLosses(bench.direct.baselineViews, sent)).lost };
  const duplicated = { shownTwice: oursLoss.duplicated, storedTwice: await storedTwice(bench.direct.store, sent) };
  const lagOurs = sent.map((m) => probe.ours(m.channelId, m.seq, m.acceptedAt)).filter((v): v is number => v !== undefined);
  const lagBaseline = sent.map((m) => probe.baseline(m.messageId, m.acceptedAt)).filter((v): v is number => v !== undefined);
  note(`throughput: ${(n / seconds).toFixed(1)} events/s; lost ours ${lost.ours}, baseline ${lost.baseline}`);
  return {
    users: config.users,
    channels: config.channels,
    seconds: round(seconds, 2),
    messages: n,
    eventsPerSecond: round(n / seconds),
    postMs: percentiles(postMs),
    clientRetries: retries,
    drainSeconds: round(drainSeconds, 2),
    lagMs: { ours: percentiles(lagOurs), baseline: percentiles(lagBaseline) },
    lost,
    duplicated,
    s3PutsPerMessage: { ours: round(ours.s3Puts / n, 3), baseline: round(baseline.s3Puts / n, 3) },
    s3PutBytesPerMessage: { ours: Math.round(ours.s3PutBytes / n), baseline: Math.round(baseline.s3PutBytes / n) },
    costPerMillionMessagesUsd: costPerMillion(counts, n),
    deadLettered,
    functionErrors: sum(counts, "lambda|*|errors"),
    counters: edgeTotals(counts),
    raw: counts,
  };
}
