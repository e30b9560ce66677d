/**
 * Lambda invocations, counted and timed where the sandbox calls its handlers: every handler
 * the sandbox gets is wrapped, and each run is attributed (callers.ts) so the proxies can
 * say which function made which request. The baseline's projections are extra targets of
 * the same bus rules (on AWS, up to five targets per rule), so the bus delivers each event
 * to ours and to the baseline's concurrently; a retry of one target is not a redelivery to
 * the other, as on EventBridge.
 */
import { functions, type FunctionName } from "../functions/handlers";
import type { ProjectionName } from "../functions/domain/routes";
import type { ProjectionEvent, ProjectionHandler, SandboxHandlers } from "../infra/local/handlers";
import { asCaller } from "./callers";
import { Counters } from "./counters";

export interface Invocation {
  fn: string;
  ms: number;
  at: number;
  ok: boolean;
}

/** The function a caller name is billed as (memory size); baseline projections size as ours. */
export function specOf(fn: string): FunctionName {
  if (fn.startsWith("projection-") || fn.startsWith("baseline-")) return "projection";
  return (fn in functions ? fn : "projection") as FunctionName;
}

export class LambdaMeter {
  readonly invocations: Invocation[] = [];

  constructor(private readonly counters: Counters) {}

  /** Runs one invocation of `fn`, counted, timed and attributed. */
  async run<R>(fn: string, work: () => Promise<R>): Promise<R> {
    const started = performance.now();
    let ok = false;
    try {
      const result = await asCaller(fn, work);
      ok = true;
      return result;
    } finally {
      const ms = performance.now() - started;
      const memoryGb = functions[specOf(fn)].memoryMb / 1024;
      this.invocations.push({ fn, ms, at: Date.now(), ok });
      this.counters.add(`lambda|${fn}|n`);
      this.counters.add(`lambda|${fn}|ms`, ms);
      // Lambda bills duration in 1 ms steps.
      this.counters.add(`lambda|${fn}|gbs`, (memoryGb * Math.ceil(ms)) / 1000);
      if (!ok) this.counters.add(`lambda|${fn}|errors`);
    }
  }

  /** Durations of `fn` invocations that ended in [from, to). */
  durations(fn: (name: string) => boolean, from: number, to: number): number[] {
    return this.invocations.filter((i) => fn(i.fn) && i.at >= from && i.at < to).map((i) => i.ms);
  }
}

export interface BaselineTargets {
  /** The baseline's handlers of the events a rule routes (one per view of the baseline they feed; none if none). */
  handlersFor(projection: ProjectionName): { view: string; handle: (event: ProjectionEvent) => Promise<void> }[];
  /** Deliveries to the baseline still running. */
  track(run: Promise<void>): void;
}

/** The sandbox's handlers, each wrapped by the meter; the projection rules also feed the baseline. */
export function meteredHandlers(defaults: SandboxHandlers, meter: LambdaMeter, baseline?: BaselineTargets): SandboxHandlers {
  const wrap = <E, R>(fn: string, handler: (event: E, context: never) => Promise<R>) =>
    ((event: E, context: never) => meter.run(fn, () => handler(event, context))) as never;
  const delivered = new Map<ProjectionName, Set<string>>();
  return {
    store: wrap("store", defaults.store),
    views: wrap("views", defaults.views),
    query: wrap("query", defaults.query),
    publish: wrap("publish", defaults.publish),
    registration: wrap("registration", defaults.registration),
    autoconfirm: wrap("autoconfirm", defaults.autoconfirm),
    wsAuthorizer: wrap("wsAuthorizer", defaults.wsAuthorizer),
    connect: wrap("connect", defaults.connect),
    disconnect: wrap("disconnect", defaults.disconnect),
    apps: wrap("apps", defaults.apps),
    webhook: wrap("webhook", defaults.webhook),
    slackAuthorizer: wrap("slackAuthorizer", defaults.slackAuthorizer),
    ...(defaults.slack ? { slack: wrap("slack", defaults.slack) } : {}),
    projection: (name: ProjectionName): ProjectionHandler => {
      const ours = defaults.projection(name);
      const fn = name === "notify" ? "notify" : `projection-${name}`;
      const theirs = baseline?.handlersFor(name) ?? [];
      const seen = delivered.get(name) ?? delivered.set(name, new Set()).get(name)!;
      return (event, context) => {
        if (theirs.length > 0 && !seen.has(event.id)) {
          seen.add(event.id);
          for (const { view, handle } of theirs) {
            // The baseline's own copy of the event: it must not share objects with ours.
            const copy = JSON.parse(JSON.stringify(event)) as ProjectionEvent;
            baseline!.track(meter.run(`baseline-${view}`, () => handle(copy)).catch(() => undefined));
          }
        }
        return meter.run(fn, () => ours(event, context));
      };
    },
  };
}
