/** Helpers of the replay tests: a client of the stand-in, events at given times, waiting for a replay. */
import { randomUUID } from "node:crypto";
import {
  DescribeReplayCommand,
  type DescribeReplayCommandOutput,
  EventBridgeClient,
  PutEventsCommand,
  StartReplayCommand,
  type StartReplayCommandInput,
} from "@aws-sdk/client-eventbridge";
import type { EventType } from "../../functions/domain/events";
import { eventSource, type ProjectionName } from "../../functions/domain/routes";
import { archiveName, eventBridgeArns } from "../../infra/local/arns";
import { replayRuleName, liveRuleName } from "../../infra/local/busRules";
import { resources } from "../../infra/local/context";
import { sandboxCredentials } from "../../infra/local/env";

export const archiveArn = eventBridgeArns.archive(archiveName);
export const busArn = eventBridgeArns.bus(resources.eventBus);
export const replayRuleArn = (p: ProjectionName) => eventBridgeArns.rule(resources.eventBus, replayRuleName(resources.eventBus, p));
export const liveRuleArn = (p: ProjectionName) => eventBridgeArns.rule(resources.eventBus, liveRuleName(resources.eventBus, p));

export const clientOf = (endpoint: string) => new EventBridgeClient({ endpoint, region: resources.region, credentials: sandboxCredentials });

/** Puts one chat event per time given (in that order); resolves with their event ids. */
export async function putAt(client: EventBridgeClient, type: EventType, times: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const time of times) {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: resources.eventBus, Source: eventSource, DetailType: type, Time: new Date(time), Detail: JSON.stringify({ type, eventId: randomUUID(), at: time }) }],
      }),
    );
    if (result.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(result.Entries)}`);
    ids.push(result.Entries![0]!.EventId!);
  }
  return ids;
}

let counter = 0;
export const uniqueName = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}`;

export function startInput(name: string, from: string, to: string, filter?: string[]): StartReplayCommandInput {
  return {
    ReplayName: name,
    EventSourceArn: archiveArn,
    EventStartTime: new Date(from),
    EventEndTime: new Date(to),
    Destination: filter ? { Arn: busArn, FilterArns: filter } : { Arn: busArn },
  };
}

export const startReplay = (client: EventBridgeClient, input: StartReplayCommandInput) => client.send(new StartReplayCommand(input));

/** Polls DescribeReplay until the replay is COMPLETED, FAILED or CANCELLED. */
export async function waitForReplay(client: EventBridgeClient, name: string, timeoutMs = 20_000): Promise<DescribeReplayCommandOutput> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const replay = await client.send(new DescribeReplayCommand({ ReplayName: name }));
    if (["COMPLETED", "FAILED", "CANCELLED"].includes(replay.State!)) return replay;
    if (Date.now() > until) throw new Error(`replay ${name} still ${replay.State} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Polls until `check` holds. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A gate a fake handler can wait on, opened from the test. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
