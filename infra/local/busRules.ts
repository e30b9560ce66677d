/**
 * The bus's rules, built from the same routing table as the Pulumi program: one rule per
 * projection, matching the store's `source` and the projection's detail-types.
 */
import { eventSource, projectionNames, routes, type ProjectionName } from "../../functions/domain/routes";
import type { BusEnvelope } from "./busEnvelope";

/** An EventBridge event pattern of exact values: every field listed must hold one of its values. */
export type EventPattern = Partial<Record<"source" | "detail-type", readonly string[]>>;

export interface BusRule {
  name: string;
  projection: ProjectionName;
  pattern: EventPattern;
}

export function projectionRules(busName: string): BusRule[] {
  return projectionNames.map((projection) => ({
    name: `${busName}-${projection}`,
    projection,
    pattern: { source: [eventSource], "detail-type": routes[projection] },
  }));
}

export function matches(pattern: EventPattern, event: BusEnvelope): boolean {
  return Object.entries(pattern).every(([field, allowed]) =>
    allowed.includes(event[field as keyof EventPattern]),
  );
}
