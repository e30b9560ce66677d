/**
 * Where a replay runs, as ARNs: the archive to read, the bus to replay to, and each
 * projection's replay rule (what StartReplay's `FilterArns` names). The local sandbox's
 * come from its own naming (infra/local/arns.ts); a stack's from its outputs.
 */
import { projectionNames, type ProjectionName } from "../../functions/domain/routes";
import { archiveName, eventBridgeArns } from "../../infra/local/arns";
import { projectionRules } from "../../infra/local/busRules";
import { resources } from "../../infra/local/context";

export interface ReplayTarget {
  /** For messages: "the local sandbox", "stack dev". */
  where: string;
  region: string;
  archiveArn: string;
  busArn: string;
  /** Projection → the ARN of its replay rule. */
  replayRuleArns: Partial<Record<ProjectionName, string>>;
}

export function localReplayTarget(): ReplayTarget {
  const rules = projectionRules(resources.eventBus).filter((rule) => rule.pattern["replay-name"]?.some((v) => typeof v === "object" && v.exists));
  return {
    where: "the local sandbox",
    region: resources.region,
    archiveArn: eventBridgeArns.archive(archiveName),
    busArn: eventBridgeArns.bus(resources.eventBus),
    replayRuleArns: Object.fromEntries(rules.map((rule) => [rule.projection, rule.arn])),
  };
}

/**
 * From `pulumi stack output --json`: `archiveArn` (or `archiveName`), `eventBusArn` (or
 * `eventBusName`; one of the two ARNs gives the region and account) and `replayRuleArns`.
 */
export function stackReplayTarget(stack: string, outputs: Record<string, unknown>): ReplayTarget {
  const text = (name: string) => (typeof outputs[name] === "string" && outputs[name] !== "" ? (outputs[name] as string) : undefined);
  const someArn = text("archiveArn") ?? text("eventBusArn");
  const place = someArn ? /^arn:(aws[\w-]*):events:([^:]+):(\d+):/.exec(someArn) : null;
  if (!place) throw new Error(`Stack "${stack}" has neither an "archiveArn" nor an "eventBusArn" output (see index.ts).`);
  const [, partition, region, account] = place as unknown as [string, string, string, string];
  const arnOf = (kind: string, name: string | undefined, output: string) => {
    if (!name) throw new Error(`Stack "${stack}" has no "${output}Arn" or "${output}Name" output (see index.ts).`);
    return `arn:${partition}:events:${region}:${account}:${kind}/${name}`;
  };
  const rules = outputs.replayRuleArns;
  if (rules === null || typeof rules !== "object" || Array.isArray(rules)) {
    throw new Error(`Stack "${stack}" has no "replayRuleArns" output (a map projection → replay rule ARN; see index.ts).`);
  }
  return {
    where: `stack ${stack}`,
    region,
    archiveArn: text("archiveArn") ?? arnOf("archive", text("archiveName"), "archive"),
    busArn: text("eventBusArn") ?? arnOf("event-bus", text("eventBusName"), "eventBus"),
    replayRuleArns: Object.fromEntries(Object.entries(rules).filter((entry): entry is [string, string] => typeof entry[1] === "string")),
  };
}

/** StartReplay's FilterArns: the projection's replay rule, or every projection's. */
export function filterArns(target: ReplayTarget, projection?: ProjectionName): string[] {
  const wanted = projection ? [projection] : projectionNames;
  const missing = wanted.filter((name) => !target.replayRuleArns[name]);
  if (missing.length > 0) {
    const has = Object.keys(target.replayRuleArns);
    throw new Error(
      `${target.where} has no replay rule for ${missing.join(", ")} (it has ${has.length ? has.join(", ") : "none"}): deploy the projection first.`,
    );
  }
  return wanted.map((name) => target.replayRuleArns[name]!);
}
