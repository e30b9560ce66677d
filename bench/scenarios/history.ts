/**
 * History depth: one channel grown to 10,000 messages (100,000 in the full run), and at
 * each depth along the way the next messages are posted one at a time, each left to settle
 * in both designs' views before the next, so each message's cost is its own (no batching
 * helps ours, no overlap loses the baseline's). The history itself is seeded straight into
 * the store and folded into both designs' views without counting (seed.ts).
 */
import { randomUUID } from "node:crypto";
import type { Person } from "../../test/support/chatApi";
import { createChannel, messageText, postEvent } from "../clients";
import type { Config } from "../config";
import { type Counts, diff, sum, values } from "../counters";
import { costPerMillion, designFigures, type CostFigures } from "../figures";
import type { Bench } from "../harness";
import { note } from "../progress";
import { round } from "../stats";
import { seedMessages } from "../seed";
import { baselineLosses, oursLosses, type SentMessage } from "../verify";

export interface DepthPoint {
  /** Messages in the channel before the measured ones. */
  depth: number;
  messages: number;
  bytesPerMessage: { ours: number; baseline: number };
  s3PutsPerMessage: { ours: number; baseline: number };
  /** Where the PUTs come from: per function, per message. */
  s3PutsPerMessageByFunction: Record<string, number>;
  s3GetBytesPerMessage: { ours: number; baseline: number };
  /** Milliseconds of projection functions per message (sum over each design's functions). */
  projectionMsPerMessage: { ours: number; baseline: number };
  costPerMillionMessagesUsd: CostFigures;
  /** DynamoDB write units the store function spends per message (table, index and refused conditional writes): a 90-character text with an Idempotency-Key. */
  storeDynamoWriteUnitsPerMessage: number;
  lost: { ours: number; baseline: number };
  raw: Counts;
}

export interface HistoryResult {
  /** The deepest history measured. */
  messages: number;
  /** Bytes written to S3 per message at that depth. */
  bytesPerMessage: { ours: number; baseline: number };
  points: DepthPoint[];
  seedSeconds: number;
}

export async function history(bench: Bench, config: Config["history"], people: readonly Person[]): Promise<HistoryResult> {
  const api = bench.sandbox.urls.api;
  const author = people[0];
  if (!author) throw new Error("the history run needs someone to post");
  const channelId = await createChannel(api, author!, "history");
  await bench.idle();
  let inChannel = 0;
  let seedSeconds = 0;
  const points: DepthPoint[] = [];
  for (const depth of [...config.depths].sort((a, b) => a - b)) {
    if (depth > inChannel) {
      const started = performance.now();
      let last = 0;
      await seedMessages(bench, channelId, author!.userId, depth - inChannel, (done) => {
        if (done - last >= 10_000 || done === depth - inChannel) note(`history: seeding ${inChannel + done}/${depth} messages`);
        last = done;
      });
      seedSeconds += (performance.now() - started) / 1000;
      inChannel = depth;
      await bench.idle();
    }
    note(`history: measuring ${config.messagesPerDepth} messages at depth ${depth}`);
    const before = bench.counters.snapshot();
    const sent: SentMessage[] = [];
    for (let i = 0; i < config.messagesPerDepth; i++) {
      const messageId = randomUUID();
      const posted = await postEvent(api, author!, { type: "message_sent", channelId, messageId, text: messageText(inChannel + i) });
      sent.push({ channelId, messageId, seq: posted.accepted.seq, acceptedAt: Date.parse(posted.accepted.timestamp) });
      await bench.idle();
    }
    const counts = diff(bench.counters.snapshot(), before);
    inChannel += sent.length;
    const n = sent.length;
    const ours = designFigures(counts, "ours");
    const baseline = designFigures(counts, "baseline");
    const point: DepthPoint = {
      depth,
      messages: n,
      bytesPerMessage: { ours: Math.round(ours.s3PutBytes / n), baseline: Math.round(baseline.s3PutBytes / n) },
      s3PutsPerMessage: { ours: round(ours.s3Puts / n, 3), baseline: round(baseline.s3Puts / n, 3) },
      s3PutsPerMessageByFunction: Object.fromEntries(values(counts, "s3|*|?|*|put|*|n").map((fn) => [fn, round(sum(counts, `s3|*|${fn}|*|put|*|n`) / n, 3)])),
      s3GetBytesPerMessage: { ours: Math.round(ours.s3GetBytes / n), baseline: Math.round(baseline.s3GetBytes / n) },
      projectionMsPerMessage: { ours: round(ours.invocationMs / n), baseline: round(baseline.invocationMs / n) },
      costPerMillionMessagesUsd: costPerMillion(counts, n),
      storeDynamoWriteUnitsPerMessage: round((["wcu", "wcuIndex", "wcuFailed"] as const).reduce((units, kind) => units + sum(counts, `ddb|store|*|*|*|${kind}`), 0) / n, 2),
      lost: { ours: (await oursLosses(bench.direct.views, sent)).lost, baseline: (await baselineLosses(bench.direct.baselineViews, sent)).lost },
      raw: counts,
    };
    note(`history: depth ${depth}: bytes written per message ours ${point.bytesPerMessage.ours}, baseline ${point.bytesPerMessage.baseline}`);
    points.push(point);
  }
  const deepest = points[points.length - 1]!;
  return { messages: deepest.depth, bytesPerMessage: deepest.bytesPerMessage, points, seedSeconds: round(seedSeconds, 2) };
}
