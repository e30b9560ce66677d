/**
 * The re-publisher's schedule: like the EventBridge schedule rule on AWS, it calls the
 * republish handler every few seconds with a "Scheduled Event". A run never overlaps the
 * previous one; a failing run is logged and the next one comes anyway.
 */
import { randomUUID } from "node:crypto";
import type { ScheduledEvent } from "aws-lambda";
import { errorMessage, resources, type SandboxContext } from "./context";
import { invokeLambda } from "./lambdaRuntime";
import { instances, type Running } from "./service";

export interface ScheduleService extends Running {
  /** Runs the handler now (after any run in progress); resolves when it is done. */
  runNow(): Promise<void>;
}

const running = instances<ScheduleService>();
const ruleArn = `arn:aws:events:${resources.region}:${resources.account}:rule/chat-republish-schedule`;

/** `intervalMs` 0 turns the schedule off (runNow still works). */
export async function start(ctx: SandboxContext, intervalMs: number): Promise<ScheduleService> {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let stopped = false;

  const runOnce = async () => {
    try {
      const result = await invokeLambda("republish", ctx.handlers.republish, scheduledEvent());
      const republished = (result as { republished?: number } | null)?.republished;
      if (republished) ctx.log("info", `republish: ${republished} event(s) sent to the bus again`);
    } catch (error) {
      ctx.log("error", `republish: ${errorMessage(error)}`);
    }
  };
  const run = () => (current = current.then(runOnce));
  const scheduleNext = () => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => void run().then(scheduleNext), intervalMs);
  };
  scheduleNext();

  return running.track({
    runNow: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  });
}

export const stop = () => running.stopAll();

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
