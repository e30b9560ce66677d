/**
 * Dollars from counters. A message's cost has a front part both designs share (the API
 * call, the store function, its DynamoDB writes, the event put on the bus) and a views
 * part of each design's own: its projection functions, their reads of the event store, and
 * their S3 requests. Our views part also names realtime (notify) separately: the talk had
 * no realtime, so it is shown but can be left out of the comparison.
 */
import { type Counts, sum } from "./counters";
import { prices } from "./prices";

export interface PartCost {
  apiGateway: number;
  lambdaRequests: number;
  lambdaDuration: number;
  dynamodb: number;
  eventbridge: number;
  s3: number;
  total: number;
}

export interface CostBreakdown {
  front: PartCost;
  oursViews: PartCost;
  /** Part of oursViews: the notify function's share. */
  oursRealtime: PartCost;
  baselineViews: PartCost;
  ours: number;
  baseline: number;
  /** Ours without realtime, which the baseline lacks. */
  oursWithoutRealtime: number;
}

const oursCallers = (c: Counts) => [...new Set(Object.keys(c).filter((k) => k.startsWith("lambda|projection-") || k.startsWith("lambda|notify|")).map((k) => k.split("|")[1] as string))];

export function partCost(counts: Counts, callers: readonly string[], design: "ours" | "baseline" | undefined, apiCalls = 0): PartCost {
  const who = callers.length ? callers.join(",") : "none";
  const lambdaRequests = (sum(counts, `lambda|${who}|n`) / 1e6) * prices.lambda.perMillionRequests;
  const lambdaDuration = sum(counts, `lambda|${who}|gbs`) * prices.lambda.perGbSecond;
  const readUnits = sum(counts, `ddb|${who}|*|*|*|rcu`) + sum(counts, `ddb|${who}|*|*|*|rcuMinimum`);
  const writeUnits = sum(counts, `ddb|${who}|*|*|*|wcu`) + sum(counts, `ddb|${who}|*|*|*|wcuIndex`) + sum(counts, `ddb|${who}|*|*|*|wcuFailed`);
  const dynamodb = (readUnits / 1e6) * prices.dynamodb.perMillionReadUnits + (writeUnits / 1e6) * prices.dynamodb.perMillionWriteUnits;
  const eventbridge = (sum(counts, `events|${who}|chunks|n`) / 1e6) * prices.eventbridge.perMillionEvents;
  let s3 = 0;
  if (design) {
    const tier1 = sum(counts, `s3|${design}|${who}|*|put,list,other|*|n`);
    const tier2 = sum(counts, `s3|${design}|${who}|*|get,head|*|n`);
    s3 = (tier1 / 1000) * prices.s3.tier1PerThousand + (tier2 / 1000) * prices.s3.tier2PerThousand;
  }
  const apiGateway = (apiCalls / 1e6) * prices.apiGateway.httpPerMillion;
  const total = apiGateway + lambdaRequests + lambdaDuration + dynamodb + eventbridge + s3;
  return { apiGateway, lambdaRequests, lambdaDuration, dynamodb, eventbridge, s3, total };
}

export function costOf(counts: Counts): CostBreakdown {
  const apiCalls = sum(counts, "lambda|store,views|n");
  // The front is what a message costs before any view: the store function, and the publisher the table's stream feeds (its PutEvents).
  const front = partCost(counts, ["store", "publish"], undefined, apiCalls);
  const ours = oursCallers(counts);
  const oursViews = partCost(counts, ours, "ours");
  const oursRealtime = partCost(counts, ours.filter((c) => c === "notify"), "ours");
  const baselineCallers = [...new Set(Object.keys(counts).filter((k) => k.startsWith("lambda|baseline-")).map((k) => k.split("|")[1] as string))];
  const baselineViews = partCost(counts, baselineCallers, "baseline");
  return {
    front,
    oursViews,
    oursRealtime,
    baselineViews,
    ours: front.total + oursViews.total,
    baseline: front.total + baselineViews.total,
    oursWithoutRealtime: front.total + oursViews.total - oursRealtime.total,
  };
}

/** Dollars per million messages. */
export const perMillion = (usd: number, messages: number) => (messages > 0 ? (usd / messages) * 1e6 : 0);
