/**
 * One replay, start to end, through any EventBridge (the sandbox's stand-in or AWS):
 * StartReplay with the target's ARNs, then DescribeReplay until it ends, reporting
 * progress. Resolves with the exit code: 0 COMPLETED, 130 cancelled by the operator
 * (Ctrl-C), 1 FAILED or CANCELLED otherwise.
 */
import { CancelReplayCommand, DescribeReplayCommand, type EventBridgeClient, StartReplayCommand } from "@aws-sdk/client-eventbridge";
import type { ReplayArgs } from "./args";
import { pollReplay, type Sleep } from "./poll";
import { renderProgress } from "./progress";
import { filterArns, type ReplayTarget } from "./target";

export interface RunReplayOptions {
  client: Pick<EventBridgeClient, "send">;
  target: ReplayTarget;
  args: Pick<ReplayArgs, "from" | "to" | "projection">;
  name: string;
  now(): Date;
  sleep: Sleep;
  intervalMs: number;
  /** A progress line (state, bar); replaced by the next one on a terminal. */
  progress(line: string): void;
  /** A message line. */
  say(line: string): void;
  /** Aborts on Ctrl-C: the replay is cancelled before the command ends. */
  signal?: AbortSignal;
}

export async function runReplay(o: RunReplayOptions): Promise<number> {
  const { client, target, args, name } = o;
  const FilterArns = filterArns(target, args.projection);
  const started = await client.send(
    new StartReplayCommand({
      ReplayName: name,
      Description: `npm run replay: ${args.projection ?? "every projection"}, ${args.from.toISOString()} to ${args.to.toISOString()}`,
      EventSourceArn: target.archiveArn,
      EventStartTime: args.from,
      EventEndTime: args.to,
      Destination: { Arn: target.busArn, FilterArns },
    }),
  );
  o.say(`Replay ${name} (${started.ReplayArn}) on ${target.where}: ${args.projection ?? "every projection"}, events from ${args.from.toISOString()} to ${args.to.toISOString()}.`);
  const startedAt = o.now().getTime();
  const final = await pollReplay({
    describe: () => client.send(new DescribeReplayCommand({ ReplayName: name })),
    sleep: o.sleep,
    intervalMs: o.intervalMs,
    onStatus: (status) => o.progress(renderProgress(status, args.from, args.to, o.now().getTime() - startedAt)),
    cancel: o.signal && {
      signal: o.signal,
      request: async () => {
        o.say(`Cancelling replay ${name}…`);
        await client.send(new CancelReplayCommand({ ReplayName: name })).catch((error: Error) => {
          // It may have ended in the meantime; the next DescribeReplay says how.
          if (error.name !== "IllegalStatusException") throw error;
        });
      },
    },
  });
  const reason = final.StateReason ? `: ${final.StateReason}` : "";
  o.say(`Replay ${name} ${final.State}${reason}.`);
  if (final.State === "COMPLETED") return 0;
  return final.cancelRequested && final.State === "CANCELLED" ? 130 : 1;
}

/** A replay name EventBridge accepts (`[.\-_A-Za-z0-9]{1,64}`), unique enough per run. */
export function replayName(projection: string | undefined, now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const suffix = Math.floor(random() * 36 ** 4).toString(36).padStart(4, "0");
  return `replay-${projection ?? "all"}-${stamp}-${suffix}`;
}
