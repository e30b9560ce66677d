/**
 * The bus's rules, built from the same routing table as the Pulumi program
 * (infra/aws/projection.ts): two rules per projection, matching the store's `source` and
 * the projection's detail-types.
 *
 * - the live rule `<bus>-<projection>` also matches `"replay-name": [{"exists": false}]`,
 *   so it never receives a replayed event;
 * - the replay rule `<bus>-<projection>-replay` matches `"replay-name": [{"exists": true}]`,
 *   so it receives only replayed events, and only those of replays that name its ARN in
 *   `FilterArns` (or name no rules at all).
 */
import { eventSource, projectionNames, routes, type ProjectionName } from "../../functions/domain/routes";
import { eventBridgeArns } from "./arns";
import type { BusEnvelope } from "./busEnvelope";

/** An exact value, or `{ exists }`: whether the field is there at all. */
export type PatternValue = string | { exists: boolean };

/** An EventBridge event pattern over top-level fields: every field listed must hold one of its values. */
export type EventPattern = Partial<Record<"source" | "detail-type" | "replay-name", readonly PatternValue[]>>;

export interface BusRule {
  name: string;
  arn: string;
  projection: ProjectionName;
  pattern: EventPattern;
}

/** Each projection's live rule, then its replay rule, in routing-table order. */
export function projectionRules(busName: string): BusRule[] {
  return projectionNames.flatMap((projection) => {
    const match = { source: [eventSource], "detail-type": routes[projection] };
    const rule = (name: string, replayed: boolean): BusRule => ({
      name,
      arn: eventBridgeArns.rule(busName, name),
      projection,
      pattern: { ...match, "replay-name": [{ exists: replayed }] },
    });
    return [rule(liveRuleName(busName, projection), false), rule(replayRuleName(busName, projection), true)];
  });
}

export const liveRuleName = (busName: string, projection: ProjectionName) => `${busName}-${projection}`;
export const replayRuleName = (busName: string, projection: ProjectionName) => `${busName}-${projection}-replay`;

export function matches(pattern: EventPattern, event: BusEnvelope): boolean {
  return Object.entries(pattern).every(([field, allowed]) => {
    const value = event[field as keyof EventPattern];
    return allowed.some((want) => (typeof want === "string" ? value === want : (value !== undefined) === want.exists));
  });
}
