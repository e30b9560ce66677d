/**
 * Hot channel: many people in one channel post concurrently, each sending their messages
 * one after another with a random pause before each (uniform, so that together they offer
 * about `ratePerSecond` messages a second): 12 a second into one channel is a hot channel
 * in any team, and about what this one process carries in one stream (every append to it
 * contends for the next seq on dynalite); well above it, the sandbox's own Lambda timeouts
 * fire, clients retry, and the run measures the machine's collapse rather than the designs.
 * Both designs see the same events from the same bus. The posters' memberships are seeded
 * (seed.ts), not posted.
 */
import { randomUUID } from "node:crypto";
import type { Person } from "../../test/support/chatApi";
import { createChannel, messageText, postEvent, sleep, thinkMs } from "../clients";
import type { Config } from "../config";
import { type Counts, diff, sum } from "../counters";
import { costPerMillion, designFigures, edgeTotals, type CostFigures } from "../figures";
import type { Bench } from "../harness";
import { LagProbe } from "../lag";
import { note, ticker } from "../progress";
import { type Percentiles, percentiles, round } from "../stats";
import { seedJoins } from "../seed";
import { baselineLosses, oursLosses, storedTwice, type LossReport, type SentMessage } from "../verify";

export interface HotChannelResult {
  posters: number;
  /** What the posters offered after the opening burst, messages per second. */
  offeredPerSecond: number;
  messages: number;
  seconds: { posting: number; untilViewsSettled: number };
  acceptedPerSecond: number;
  postMs: Percentiles;
  clientRetries: number;
  lost: { ours: number; baseline: number };
  losses: { ours: LossReport; baseline: LossReport };
  /** Every PUT request, the ones refused by a condition (412/409) too: S3 bills them all. */
  s3PutsPerMessage: { ours: number; baseline: number };
  /** Only the PUTs that wrote. */
  s3PutsPerMessageSucceeded: { ours: number; baseline: number };
  s3PutBytesPerMessage: { ours: number; baseline: number };
  lagMs: { ours: Percentiles; baseline: Percentiles };
  /** Accepted messages never seen in a view at all (the rest of the lag's population). */
  neverVisible: { ours: number; baseline: number };
  costPerMillionMessagesUsd: CostFigures;
  /** Deliveries the bus gave up on (after its retries), and function runs that failed. */
  deadLettered: number;
  functionErrors: number;
  counters: ReturnType<typeof edgeTotals>;
  raw: Counts;
}

export async function hotChannel(bench: Bench, config: Config["hot"], people: readonly Person[]): Promise<HotChannelResult> {
  const api = bench.sandbox.urls.api;
  const [owner, ...posters] = people.slice(0, config.posters + 1);
  if (posters.length < config.posters) throw new Error(`the hot channel needs ${config.posters + 1} people`);
  const channelId = await createChannel(api, owner!, "hot");
  await bench.idle();
  await seedJoins(bench, channelId, posters.map((p) => p.userId));
  await bench.idle();

  const probe = new LagProbe(bench.s3Meter, [channelId]);
  const before = bench.counters.snapshot();
  const deadLetteredBefore = bench.sandbox.bus.stats().deadLettered;
  const sent: SentMessage[] = [];
  const postMs: number[] = [];
  let retries = 0;
  const total = config.posters * config.messagesEach;
  const stopTicker = ticker(() => `hot channel: ${sent.length}/${total} accepted`);
  const started = performance.now();
  try {
    await Promise.all(
      posters.map(async (poster, p) => {
        for (let i = 0; i < config.messagesEach; i++) {
          await sleep(thinkMs((config.posters / config.ratePerSecond) * 1000) / (i === 0 ? 2 : 1));
          const messageId = randomUUID();
          const posted = await postEvent(api, poster, { type: "message_sent", channelId, messageId, text: messageText(p * config.messagesEach + i) });
          sent.push({ channelId, messageId, seq: posted.accepted.seq, acceptedAt: Date.parse(posted.accepted.timestamp) });
          postMs.push(posted.ms);
          retries += posted.retries;
        }
      }),
    );
  } finally {
    stopTicker();
  }
  const posting = (performance.now() - started) / 1000;
  note(`hot channel: ${sent.length} accepted in ${posting.toFixed(1)} s; waiting for the views`);
  await bench.idle();
  const settled = (performance.now() - started) / 1000;
  const counts = diff(bench.counters.snapshot(), before);
  const deadLettered = bench.sandbox.bus.stats().deadLettered - deadLetteredBefore;
  probe.stop();

  const losses = {
    ours: { ...(await oursLosses(bench.direct.views, sent)), storedTwice: await storedTwice(bench.direct.store, sent) },
    baseline: await baselineLosses(bench.direct.baselineViews, sent),
  };
  const lagOurs = sent.map((m) => probe.ours(m.channelId, m.seq, m.acceptedAt)).filter((v): v is number => v !== undefined);
  const lagBaseline = sent.map((m) => probe.baseline(m.messageId, m.acceptedAt)).filter((v): v is number => v !== undefined);
  const ours = designFigures(counts, "ours");
  const baseline = designFigures(counts, "baseline");
  const n = sent.length;
  note(`hot channel: lost ours ${losses.ours.lost}, baseline ${losses.baseline.lost}; S3 PUTs/message ours ${(ours.s3Puts / n).toFixed(2)}, baseline ${(baseline.s3Puts / n).toFixed(2)}`);
  return {
    posters: config.posters,
    offeredPerSecond: config.ratePerSecond,
    messages: n,
    seconds: { posting: round(posting, 2), untilViewsSettled: round(settled, 2) },
    acceptedPerSecond: round(n / posting),
    postMs: percentiles(postMs),
    clientRetries: retries,
    lost: { ours: losses.ours.lost, baseline: losses.baseline.lost },
    losses,
    s3PutsPerMessage: { ours: round(ours.s3Puts / n, 3), baseline: round(baseline.s3Puts / n, 3) },
    s3PutsPerMessageSucceeded: { ours: round((ours.s3Puts - ours.s3PutConflicts) / n, 3), baseline: round((baseline.s3Puts - baseline.s3PutConflicts) / n, 3) },
    s3PutBytesPerMessage: { ours: Math.round(ours.s3PutBytes / n), baseline: Math.round(baseline.s3PutBytes / n) },
    lagMs: { ours: percentiles(lagOurs), baseline: percentiles(lagBaseline) },
    neverVisible: { ours: n - lagOurs.length, baseline: n - lagBaseline.length },
    costPerMillionMessagesUsd: costPerMillion(counts, n),
    deadLettered,
    functionErrors: sum(counts, "lambda|*|errors"),
    counters: edgeTotals(counts),
    raw: counts,
  };
}
