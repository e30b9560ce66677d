/** What a phase's counters say about each design's views, and about the whole system. */
import { type Counts, sum, values } from "./counters";
import { costOf, perMillion, type CostBreakdown } from "./cost";
import { sig } from "./stats";

export interface DesignFigures {
  /** S3 PUT requests (conflicts included: S3 bills them) and the bytes they carried. */
  s3Puts: number;
  s3PutConflicts: number;
  s3PutBytes: number;
  s3Gets: number;
  s3GetBytes: number;
  /** Projection invocations and their summed duration. */
  invocations: number;
  invocationMs: number;
  invocationErrors: number;
  /** Event-store reads by the projections (ours only), in read units. */
  readUnits: number;
}

export function designFigures(counts: Counts, design: "ours" | "baseline"): DesignFigures {
  const fns = design === "ours" ? lambdaNames(counts).filter((f) => f.startsWith("projection-") || f === "notify") : lambdaNames(counts).filter((f) => f.startsWith("baseline-"));
  const who = fns.length ? fns.join(",") : "none";
  return {
    s3Puts: sum(counts, `s3|${design}|*|*|put|*|n`),
    s3PutConflicts: sum(counts, `s3|${design}|*|*|put|conflict|n`),
    s3PutBytes: sum(counts, `s3|${design}|*|*|put|*|bytes`),
    s3Gets: sum(counts, `s3|${design}|*|*|get|*|n`),
    s3GetBytes: sum(counts, `s3|${design}|*|*|get|*|bytes`),
    invocations: sum(counts, `lambda|${who}|n`),
    invocationMs: sum(counts, `lambda|${who}|ms`),
    invocationErrors: sum(counts, `lambda|${who}|errors`),
    readUnits: sum(counts, `ddb|${who}|*|*|*|rcu`) + sum(counts, `ddb|${who}|*|*|*|rcuMinimum`),
  };
}

export const lambdaNames = (counts: Counts) => values(counts, "lambda|?|n");

/** Per-function invocation counts and milliseconds, for the report's detail table. */
export function functionTable(counts: Counts): Record<string, { invocations: number; ms: number; errors: number }> {
  return Object.fromEntries(
    lambdaNames(counts).map((fn) => [fn, { invocations: sum(counts, `lambda|${fn}|n`), ms: Math.round(sum(counts, `lambda|${fn}|ms`)), errors: sum(counts, `lambda|${fn}|errors`) }]),
  );
}

/** The whole system's counters at the edges, for the JSON report. */
export function edgeTotals(counts: Counts) {
  return {
    s3: {
      ours: { puts: sum(counts, "s3|ours|*|*|put|*|n"), putBytes: sum(counts, "s3|ours|*|*|put|*|bytes"), gets: sum(counts, "s3|ours|*|*|get|*|n"), getBytes: sum(counts, "s3|ours|*|*|get|*|bytes"), conflicts: sum(counts, "s3|ours|*|*|put|conflict|n") },
      baseline: { puts: sum(counts, "s3|baseline|*|*|put|*|n"), putBytes: sum(counts, "s3|baseline|*|*|put|*|bytes"), gets: sum(counts, "s3|baseline|*|*|get|*|n"), getBytes: sum(counts, "s3|baseline|*|*|get|*|bytes"), conflicts: sum(counts, "s3|baseline|*|*|put|conflict|n") },
    },
    dynamodb: {
      requests: sum(counts, "ddb|*|*|*|*|n"),
      readUnits: sum(counts, "ddb|*|*|*|*|rcu"),
      readUnitsMinimum: sum(counts, "ddb|*|*|*|*|rcuMinimum"),
      writeUnits: sum(counts, "ddb|*|*|*|*|wcu"),
      writeUnitsIndex: sum(counts, "ddb|*|*|*|*|wcuIndex"),
      writeUnitsFailedConditions: sum(counts, "ddb|*|*|*|*|wcuFailed"),
      conditionFailures: sum(counts, "ddb|*|*|*|conditionFailed|n"),
    },
    eventbridge: { putEvents: sum(counts, "events|*|putEvents|n"), entries: sum(counts, "events|*|entries|n"), failed: sum(counts, "events|*|failed|n") },
    lambda: functionTable(counts),
  };
}

export interface CostFigures {
  ours: number;
  baseline: number;
  oursWithoutRealtime: number;
  /**
   * Without Lambda duration: what does not depend on this machine's speed (API calls,
   * Lambda requests, DynamoDB units, bus entries, S3 requests).
   */
  requestsOnly: { ours: number; baseline: number };
  breakdown: CostBreakdown;
}

/** Cost per million messages from a phase's counters. */
export function costPerMillion(counts: Counts, messages: number): CostFigures {
  const breakdown = costOf(counts);
  const pm = (usd: number) => sig(perMillion(usd, messages), 4);
  const scale = (part: CostBreakdown["front"]) => Object.fromEntries(Object.entries(part).map(([k, v]) => [k, pm(v)])) as unknown as CostBreakdown["front"];
  return {
    ours: pm(breakdown.ours),
    baseline: pm(breakdown.baseline),
    oursWithoutRealtime: pm(breakdown.oursWithoutRealtime),
    requestsOnly: {
      ours: pm(breakdown.ours - breakdown.front.lambdaDuration - breakdown.oursViews.lambdaDuration),
      baseline: pm(breakdown.baseline - breakdown.front.lambdaDuration - breakdown.baselineViews.lambdaDuration),
    },
    breakdown: {
      front: scale(breakdown.front),
      oursViews: scale(breakdown.oursViews),
      oursRealtime: scale(breakdown.oursRealtime),
      baselineViews: scale(breakdown.baselineViews),
      ours: pm(breakdown.ours),
      baseline: pm(breakdown.baseline),
      oursWithoutRealtime: pm(breakdown.oursWithoutRealtime),
    },
  };
}
