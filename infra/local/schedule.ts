/**
 * The re-publisher's schedule: like the EventBridge schedule rule on AWS, it calls the
 * republish handler every few seconds with a "Scheduled Event". A run never overlaps the
 * previous one; a failing run is logged and the next one comes anyway.
 *
 * `runNow({ olderThanMs })` runs the re-publisher's use case with the handler's own
 * adapters and a clock moved ahead, so that it sends events stored at least `olderThanMs`
 * ago instead of the handler's fixed `republishAfterMs` (tests use 0 once the store is
 * quiet, rather than waiting 10 s). Publishing an event twice is harmless: the projections
 * read the store from the seq they hold, so a second delivery changes nothing.
 */
import { randomUUID } from "node:crypto";
import type { ScheduledEvent } from "aws-lambda";
import { awsAdapters } from "../../functions/adapters/wiring";
import { republish, republishAfterMs } from "../../functions/usecases/republish";
import { errorMessage, resources, type SandboxContext } from "./context";
import { invokeLambda } from "./lambdaRuntime";
import { instances, type Running } from "./service";

export interface ScheduleService extends Running {
  /** Runs the handler now (after any run in progress); resolves when it is done. */
  runNow(options?: { olderThanMs?: number }): Promise<void>;
}

const running = instances<ScheduleService>();
const ruleArn = `arn:aws:events:${resources.region}:${resources.account}:rule/chat-republish-schedule`;

/** `intervalMs` 0 turns the schedule off (runNow still works). */
export async function start(ctx: SandboxContext, intervalMs: number): Promise<ScheduleService> {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let stopped = false;

  const runOnce = async (olderThanMs?: number) => {
    const handler = olderThanMs === undefined ? ctx.handlers.republish : sweepOlderThan(olderThanMs);
    try {
      const result = await invokeLambda("republish", handler, scheduledEvent());
      const republished = (result as { republished?: number } | null)?.republished;
      if (republished) ctx.log("info", `republish: ${republished} event(s) sent to the bus again`);
    } catch (error) {
      ctx.log("error", `republish: ${errorMessage(error)}`);
    }
  };
  const run = (olderThanMs?: number) => (current = current.then(() => runOnce(olderThanMs)));
  const scheduleNext = () => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => void run().then(scheduleNext), intervalMs);
  };
  scheduleNext();

  return running.track({
    runNow: (options) => {
      const olderThanMs = options?.olderThanMs;
      if (olderThanMs !== undefined && !(Number.isFinite(olderThanMs) && olderThanMs >= 0)) {
        return Promise.reject(new RangeError("olderThanMs must be a number of milliseconds ≥ 0"));
      }
      return run(olderThanMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  });
}

export const stop = () => running.stopAll();

/** functions/republish/handler.ts, with the clock moved so that its cut-off is `olderThanMs` ago. */
function sweepOlderThan(olderThanMs: number) {
  return async () => {
    const adapters = awsAdapters();
    const shift = republishAfterMs - olderThanMs;
    return republish({ ...adapters, now: () => new Date(adapters.now().getTime() + shift) });
  };
}

function scheduledEvent(): ScheduledEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: resources.account,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: resources.region,
    resources: [ruleArn],
    detail: {},
  };
}
