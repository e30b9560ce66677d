/**
 * What the design carries on AWS, derived from the writes per key counted at the edge
 * (keys.ts) and AWS's limits (limits.ts), without an AWS account:
 * - per key, which no quota request raises: a key takes `limitPerSecond` (1,000 write
 *   units for a DynamoDB partition key, a GSI's too; 3,500 PUTs for S3, and for a key
 *   written under a condition one writer at a time, so 1 / the conditional PUT's duration:
 *   the one measured with each message alone, or AWS's if that is longer). One channel carries `limit / writes per message` of its hottest key of each
 *   kind, measured with many messages into one channel. The whole system, with traffic
 *   spread over channels, is bounded only by keys shared across channels: a single key
 *   (measured with traffic spread over channels), or one of a fixed number of shards
 *   (the kind's writes spread evenly over its shards); keys per channel, person or message
 *   scale out.
 * - per default quota, which a request raises: requests, invocations, concurrency and
 *   table throughput per message, measured with each message alone (so function
 *   durations are the functions' own, not waits for this machine's busy core).
 */
import { type Counts, sum, values } from "./counters";
import { conditionalPutMs, scopeOf, writesByPattern, type PatternWrites } from "./keys";
import { defaultQuotas, keyLimits, type Quota } from "./limits";
import { sig } from "./stats";

/** Issue 13's targets: what the keys must allow. */
export const scaleTargets = { systemMessagesPerSecond: 10_000, channelMessagesPerSecond: 100 } as const;

export interface Phase {
  counts: Counts;
  messages: number;
}

export interface ScaleInputs {
  /** Many messages into one channel. */
  hotChannel: Phase;
  /** Messages spread over channels. */
  throughput: Phase;
  /** Each message alone. */
  alone: Phase;
}

export interface KeyFigure {
  /** The key kind: concrete ids replaced by placeholders. */
  key: string;
  /** `dynamodb:<table>`, `dynamodb:<table>/<index key attribute>` or `s3:<bucket>`. */
  store: string;
  unit: "write units" | "PUTs";
  limitPerSecond: number;
  /** Shared across channels (one key, or one of `shards`): it bounds the whole system. */
  shared: boolean;
  shards?: number;
  /** The most one key of this kind took per message, in each scenario (a sharded kind's even share when spread). */
  writesPerMessage: { hotChannel: number; throughput: number };
  /** The same without the conditional writes refused: how many race for a key grows with this machine's slowness. */
  writesPerMessageTookEffect: { hotChannel: number; throughput: number };
  channelMessagesPerSecond: number | null;
  /** What one channel would carry if no conditional write to this key were refused. */
  channelMessagesPerSecondWithoutRefusals: number | null;
  systemMessagesPerSecond: number | null;
}

export interface QuotaFigure {
  quota: string;
  default: number;
  unit: string;
  perMessage: number;
  messagesPerSecond: number | null;
  /** The quota that carries `scaleTargets.systemMessagesPerSecond`. */
  neededForTarget: number;
  source: string;
}

export interface AwsScale {
  systemMessagesPerSecond: number | null;
  limitingKey: string | null;
  channelMessagesPerSecond: number | null;
  channelLimitingKey: string | null;
  /** One channel, if no conditional write were refused: the floor AWS's faster appends approach. */
  channelMessagesPerSecondWithoutRefusals: number | null;
  keys: KeyFigure[];
  quotaMessagesPerSecond: number | null;
  limitingQuota: string | null;
  quotas: QuotaFigure[];
  /** How long one conditional S3 PUT holds its key: the longer of the one measured with each message alone and AWS's (limits.ts). */
  s3ConditionalPutMs: number;
  /** Mean conditional PUT at the edge: each message alone, and in the hot channel (where this machine's busy core stretches it). */
  s3ConditionalPutMsMeasured: { eachAlone: number; hotChannel: number };
  notes: string[];
}

const topKeys = 12;

export function awsScale(inputs: ScaleInputs): AwsScale {
  const measured = { eachAlone: conditionalPutMs(inputs.alone.counts), hotChannel: conditionalPutMs(inputs.hotChannel.counts) };
  const putMs = Math.max(measured.eachAlone, keyLimits.s3PutMsOnAws);
  const keys = keyFigures(inputs, putMs);
  const system = lowest(keys, (k) => k.systemMessagesPerSecond);
  const channel = lowest(keys, (k) => k.channelMessagesPerSecond);
  const quotas = quotaFigures(inputs.alone);
  const quota = lowest(quotas, (q) => q.messagesPerSecond);
  const ceiling = (k: KeyFigure) => Math.min(k.channelMessagesPerSecond ?? Infinity, k.systemMessagesPerSecond ?? Infinity);
  return {
    systemMessagesPerSecond: system?.systemMessagesPerSecond ?? null,
    limitingKey: system ? system.key : null,
    channelMessagesPerSecond: channel?.channelMessagesPerSecond ?? null,
    channelLimitingKey: channel ? channel.key : null,
    channelMessagesPerSecondWithoutRefusals: lowest(keys, (k) => k.channelMessagesPerSecondWithoutRefusals)?.channelMessagesPerSecondWithoutRefusals ?? null,
    keys: [...keys].sort((a, b) => ceiling(a) - ceiling(b)).slice(0, topKeys),
    quotaMessagesPerSecond: quota?.messagesPerSecond ?? null,
    limitingQuota: quota ? quota.quota : null,
    quotas,
    s3ConditionalPutMs: sig(putMs),
    s3ConditionalPutMsMeasured: { eachAlone: sig(measured.eachAlone), hotChannel: sig(measured.hotChannel) },
    notes: [
      `Per key: ${keyLimits.dynamoWriteUnitsPerKey.toLocaleString("en-US")} write units/s per DynamoDB partition key (a GSI's too); ${keyLimits.s3PutsPerPrefix.toLocaleString("en-US")} PUTs/s per S3 prefix, and for a key written under a condition one writer at a time: 1 / ${sig(putMs)} ms, the longer of AWS's small-request latency (${keyLimits.s3PutMsOnAws} ms, the low end of "tens of milliseconds") and the mean conditional PUT measured here with each message alone (${sig(measured.eachAlone)} ms on loopback; ${sig(measured.hotChannel)} ms in the hot channel, stretched by this machine's busy core).`,
      "Writes per message: the most any single key of a kind took, over the messages of the scenario (hot channel: one channel; throughput: spread over channels); a sharded kind, spread over channels, takes its writes divided by its shards. DynamoDB writes in write units, refused conditional writes and index entries included (DynamoDB bills a refused write and takes it from the key's throughput); S3 writes are PUT requests, refused ones included. How many writes race for one key, and so how many are refused, grows with how long each takes: here, with this machine's one busy core, far longer than on AWS, so the figures without refusals are shown too.",
      "Quotas: the defaults in us-east-1 (bench/limits.ts), with requests, rule-target invocations, function time and write units per message measured with each message on its own (the shallowest history); Lambda concurrency needed = function seconds per message × messages/s, and this machine's durations include waits for its one busy core. Quotas can be raised, a key's limit cannot.",
    ],
  };
}

function keyFigures(inputs: ScaleInputs, putMs: number): KeyFigure[] {
  const hot = index(writesByPattern(inputs.hotChannel.counts));
  const spread = index(writesByPattern(inputs.throughput.counts));
  const conditional = new Set([...values(inputs.hotChannel.counts, "keyput|?|conditional|n"), ...values(inputs.throughput.counts, "keyput|?|conditional|n")]);
  const out: KeyFigure[] = [];
  for (const id of new Set([...hot.keys(), ...spread.keys()])) {
    const any = (hot.get(id) ?? spread.get(id))!;
    const scope = scopeOf(any.pattern);
    const s3 = any.store.startsWith("s3:");
    const limit = !s3 ? keyLimits.dynamoWriteUnitsPerKey : conditional.has(any.store) && putMs > 0 ? Math.min(keyLimits.s3PutsPerPrefix, 1000 / putMs) : keyLimits.s3PutsPerPrefix;
    const shards = scope.shared ? scope.shards : 1;
    const perMessage = (p: PatternWrites | undefined, messages: number, shards = 1) =>
      p && messages > 0 ? (shards > 1 ? p.writes / shards : p.maxKeyWrites) / messages : 0;
    const tookEffect = (p: PatternWrites | undefined, messages: number, shards = 1) =>
      p && messages > 0 ? (shards > 1 ? (p.writes - p.refused) / shards : p.maxKeyWritesTookEffect) / messages : 0;
    const inHot = perMessage(hot.get(id), inputs.hotChannel.messages);
    const inSpread = perMessage(spread.get(id), inputs.throughput.messages, shards);
    const inHotTookEffect = tookEffect(hot.get(id), inputs.hotChannel.messages);
    out.push({
      key: any.pattern,
      store: any.store,
      unit: s3 ? "PUTs" : "write units",
      limitPerSecond: sig(limit),
      shared: scope.shared,
      ...(scope.shared && scope.shards > 1 ? { shards: scope.shards } : {}),
      writesPerMessage: { hotChannel: sig(inHot, 4), throughput: sig(inSpread, 4) },
      writesPerMessageTookEffect: { hotChannel: sig(inHotTookEffect, 4), throughput: sig(tookEffect(spread.get(id), inputs.throughput.messages, shards), 4) },
      channelMessagesPerSecond: inHot > 0 ? sig(limit / inHot) : null,
      channelMessagesPerSecondWithoutRefusals: inHotTookEffect > 0 ? sig(limit / inHotTookEffect) : null,
      systemMessagesPerSecond: scope.shared && inSpread > 0 ? sig(limit / inSpread) : null,
    });
  }
  return out;
}

function quotaFigures({ counts, messages }: Phase): QuotaFigure[] {
  const ours = values(counts, "lambda|?|n").filter((fn) => !fn.startsWith("baseline-"));
  const targets = ours.filter((fn) => fn.startsWith("projection-") || fn === "notify");
  const per = (n: number) => (messages > 0 ? n / messages : 0);
  const figures: [Quota, number][] = [
    [defaultQuotas.putEvents, per(sum(counts, "events|*|putEvents|n"))],
    [defaultQuotas.invocations, per(targets.length ? sum(counts, `lambda|${targets.join(",")}|n`) : 0)],
    // Concurrency is invocations a second times their duration: per message, seconds of function time.
    [defaultQuotas.lambdaConcurrency, per(ours.length ? sum(counts, `lambda|${ours.join(",")}|ms`) / 1000 : 0)],
    [defaultQuotas.httpApi, per(sum(counts, "lambda|store,views|n"))],
  ];
  for (const table of values(counts, "ddb|*|?|*|*|n")) {
    const units = sum(counts, `ddb|*|${table}|*|*|wcu`) + sum(counts, `ddb|*|${table}|*|*|wcuFailed`);
    const indexUnits = sum(counts, `ddb|*|${table}|*|*|wcuIndex`);
    if (units > 0) figures.push([{ ...defaultQuotas.dynamoTableWrites, name: `${defaultQuotas.dynamoTableWrites.name}: ${table}` }, per(units)]);
    if (indexUnits > 0) figures.push([{ ...defaultQuotas.dynamoTableWrites, name: `${defaultQuotas.dynamoTableWrites.name}: ${table}'s indexes` }, per(indexUnits)]);
  }
  return figures.map(([quota, perMessage]) => ({
    quota: quota.name,
    default: quota.default,
    unit: quota.unit,
    perMessage: sig(perMessage, 4),
    messagesPerSecond: perMessage > 0 ? sig(quota.default / perMessage) : null,
    neededForTarget: Math.ceil(perMessage * scaleTargets.systemMessagesPerSecond),
    source: quota.source,
  }));
}

const index = (patterns: PatternWrites[]) => new Map(patterns.map((p) => [`${p.store}|${p.pattern}`, p]));

function lowest<T>(items: readonly T[], of: (item: T) => number | null): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    const v = of(item);
    if (v !== null && (best === undefined || v < (of(best) as number))) best = item;
  }
  return best;
}
