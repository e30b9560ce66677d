/**
 * EventBridge replays in the sandbox: StartReplay, DescribeReplay, ListReplays and
 * CancelReplay over one archive, with EventBridge's semantics.
 *
 * A replay reads the archive as it is when the replay starts, keeps the events whose
 * `time` lies in [EventStartTime, EventEndTime), and sends each one, in archive order and
 * with `"replay-name": "<name>"` added (id, time and detail unchanged), to the destination
 * bus's rules: those named in `FilterArns`, or every rule when it names none. The rules'
 * patterns do the rest: live rules match only events without `replay-name`, replay rules
 * only events with it. Deliveries go through the bus's machinery (retries, dead-letter
 * files) and are not archived again. One event's deliveries settle before the next event
 * goes, so a replay is COMPLETED once every delivery of it succeeded or was dead-lettered.
 *
 * States: STARTING → RUNNING → COMPLETED, or → CANCELLING → CANCELLED after CancelReplay,
 * or FAILED (the archive could not be read, or the sandbox stopped first). Replays live in
 * memory: a restarted sandbox knows none.
 */
import type { DescribeReplayResponse, Replay as ReplaySummary, ReplayState } from "@aws-sdk/client-eventbridge";
import { eventBridgeArns } from "./arns";
import { AwsError, validationError } from "./awsError";
import type { BusEnvelope } from "./busEnvelope";
import type { BusRule } from "./busRules";
import { errorMessage, type Log } from "./context";
import type { ArchiveRecord } from "./eventBus";
import { listReplaysInput, nextToken, replayName, type StartReplayInput, startReplayInput, wireTime } from "./replayRequests";

export interface LocalArchive {
  name: string;
  arn: string;
  /** The bus the archive records, the only bus its events may be replayed to. */
  busArn: string;
  read(): Promise<ArchiveRecord[]>;
}

export interface ReplaysOptions {
  archive: LocalArchive;
  /** Every rule of the archive's bus. */
  rules: readonly BusRule[];
  /** Delivers an event to those of the rules given that match it; resolves once all settled. */
  deliver(rules: readonly BusRule[], event: BusEnvelope): Promise<void>;
  log: Log;
}

/** EventBridge runs at most 10 replays at a time per account and region. */
export const maxActiveReplays = 10;

interface ReplayRun extends StartReplayInput {
  arn: string;
  state: ReplayState;
  reason?: string;
  lastReplayed?: Date;
  startedAt: Date;
  endedAt?: Date;
  done: Promise<void>;
}

const active = (state: ReplayState) => state === "STARTING" || state === "RUNNING" || state === "CANCELLING";

export class Replays {
  private readonly runs = new Map<string, ReplayRun>();
  private stopping = false;

  constructor(private readonly options: ReplaysOptions) {}

  start(body: unknown) {
    const input = startReplayInput(body);
    const { archive } = this.options;
    if (input.sourceArn !== archive.arn) {
      throw validationError(`Parameter EventSourceArn is not valid. Reason: Archive ${archiveOf(input.sourceArn)} does not exist.`);
    }
    if (input.destination.Arn !== archive.busArn) {
      throw validationError("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.");
    }
    const unknown = input.destination.FilterArns?.find((arn) => !this.options.rules.some((rule) => rule.arn === arn));
    if (unknown) throw validationError(`Parameter Destination.FilterArns is not valid. Reason: Rule ${unknown} does not exist on the destination event bus.`);
    if (this.runs.has(input.name)) throw new AwsError("ResourceAlreadyExistsException", `Replay ${input.name} already exists.`);
    if ([...this.runs.values()].filter((r) => active(r.state)).length >= maxActiveReplays) {
      throw new AwsError("LimitExceededException", `The requested resource exceeds the maximum number allowed: ${maxActiveReplays} active replays.`);
    }
    if (this.stopping) throw new AwsError("InternalException", "The sandbox is stopping.");
    const replay: ReplayRun = { ...input, arn: eventBridgeArns.replay(input.name), state: "STARTING", startedAt: new Date(), done: Promise.resolve() };
    this.runs.set(replay.name, replay);
    // Asynchronous, as on AWS: StartReplay answers STARTING before anything is replayed.
    replay.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run(replay));
    return { ReplayArn: replay.arn, State: replay.state, ReplayStartTime: wireTime(replay.startedAt) };
  }

  describe(body: unknown) {
    const replay = this.find(replayName(body));
    return {
      ReplayName: replay.name,
      ReplayArn: replay.arn,
      Description: replay.description,
      Destination: replay.destination,
      EventSourceArn: replay.sourceArn,
      ...this.times(replay),
    } satisfies Record<keyof DescribeReplayResponse, unknown>;
  }

  list(body: unknown) {
    const input = listReplaysInput(body);
    const found = [...this.runs.values()].filter(
      (r) =>
        (input.namePrefix === undefined || r.name.startsWith(input.namePrefix)) &&
        (input.state === undefined || r.state === input.state) &&
        (input.sourceArn === undefined || r.sourceArn === input.sourceArn),
    );
    const page = found.slice(input.offset, input.offset + input.limit);
    const Replays = page.map((r) => ({ ReplayName: r.name, EventSourceArn: r.sourceArn, ...this.times(r) }) satisfies Record<keyof ReplaySummary, unknown>);
    const more = input.offset + input.limit < found.length;
    return more ? { Replays, NextToken: nextToken(input.offset + input.limit) } : { Replays };
  }

  cancel(body: unknown) {
    const replay = this.find(replayName(body));
    if (replay.state !== "STARTING" && replay.state !== "RUNNING") {
      throw new AwsError("IllegalStatusException", `Replay ${replay.name} is ${replay.state} and cannot be cancelled.`);
    }
    replay.state = "CANCELLING";
    return { ReplayArn: replay.arn, State: replay.state };
  }

  /** Stops every replay still going (FAILED: the sandbox stopped) and resolves once they have. */
  async close(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }

  private find(name: string): ReplayRun {
    const replay = this.runs.get(name);
    if (!replay) throw new AwsError("ResourceNotFoundException", `Replay ${name} does not exist.`);
    return replay;
  }

  private times(r: ReplayRun) {
    return {
      State: r.state,
      StateReason: r.reason,
      EventStartTime: wireTime(r.start),
      EventEndTime: wireTime(r.end),
      EventLastReplayedTime: wireTime(r.lastReplayed),
      ReplayStartTime: wireTime(r.startedAt),
      ReplayEndTime: wireTime(r.endedAt),
    };
  }

  private async run(replay: ReplayRun): Promise<void> {
    try {
      const events = (await this.options.archive.read()).map((record) => record.event).filter((event) => within(replay, event.time));
      const filter = replay.destination.FilterArns;
      const rules = filter ? this.options.rules.filter((rule) => filter.includes(rule.arn)) : this.options.rules;
      if (replay.state === "STARTING") replay.state = "RUNNING";
      for (const event of events) {
        if (replay.state === "CANCELLING" || this.stopping) break;
        await this.options.deliver(rules, { ...event, "replay-name": replay.name });
        replay.lastReplayed = new Date(event.time);
      }
      if (this.stopping && replay.state !== "CANCELLING") this.end(replay, "FAILED", "The sandbox stopped before the replay finished.");
      else this.end(replay, replay.state === "CANCELLING" ? "CANCELLED" : "COMPLETED");
    } catch (error) {
      this.end(replay, "FAILED", errorMessage(error));
    }
  }

  private end(replay: ReplayRun, state: ReplayState, reason?: string): void {
    replay.state = state;
    replay.reason = reason;
    replay.endedAt = new Date();
    this.options.log(state === "FAILED" ? "error" : "info", `replay ${replay.name}: ${state}${reason ? `: ${reason}` : ""}`);
  }
}

function within(replay: ReplayRun, time: string): boolean {
  const at = Date.parse(time);
  return at >= replay.start.getTime() && at < replay.end.getTime();
}

const archiveOf = (arn: string) => /:archive\/(.+)$/.exec(arn)?.[1] ?? arn;
