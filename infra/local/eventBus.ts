/**
 * The bus behind the EventBridge stand-in: archives every accepted event, matches it
 * against the rules, and delivers it to each matching rule's target on its own: deliveries
 * run concurrently (Lambda scales out), a delivery that throws is retried with exponential
 * backoff and jitter, and one that keeps failing goes to its rule's dead-letter file.
 * With faults (faults.ts), a delivery may be made twice (`duplicate`, as EventBridge's
 * at-least-once delivery does) and may first wait up to `maxDelayMs` (`delay`), so
 * deliveries overtake each other.
 */
import { setMaxListeners } from "node:events";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { ProjectionName } from "../../functions/domain/routes";
import type { BusEnvelope } from "./busEnvelope";
import { matches, type BusRule } from "./busRules";
import { errorMessage, type Log } from "./context";
import type { FaultInjector } from "./faults";
import { JsonLinesFile } from "./jsonLines";

export interface RetryPolicy {
  /** Deliveries tried per event and rule before it is dead-lettered. Default 6. */
  maxAttempts: number;
  /** Wait after the first failure; doubles after each one. Default 100 ms. */
  baseDelayMs: number;
  /** Longest wait between two attempts. Default 5 s. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 5000 };

export interface BusStats {
  /** Entries accepted (and archived). */
  received: number;
  /** Handler invocations, retries included. */
  deliveries: number;
  /** Invocations that threw. */
  failures: number;
  /** Deliveries that gave up and went to a dead-letter file. */
  deadLettered: number;
}

/** One line of `<dataDir>/archive/<bus>.jsonl`. */
export interface ArchiveRecord {
  archivedAt: string;
  event: BusEnvelope;
}

/** One line of `<dataDir>/dlq/<projection>.jsonl`. */
export interface DeadLetter {
  failedAt: string;
  rule: string;
  projection: ProjectionName;
  attempts: number;
  error: string;
  event: BusEnvelope;
}

export interface EventBusOptions {
  name: string;
  dataDir: string;
  rules: BusRule[];
  deliver: (rule: BusRule, event: BusEnvelope) => Promise<void>;
  retry: RetryPolicy;
  log: Log;
  faults?: FaultInjector;
}

export class LocalEventBus {
  readonly archive: JsonLinesFile;
  private readonly pending = new Set<Promise<void>>();
  private readonly dlq = new Map<ProjectionName, JsonLinesFile>();
  private readonly counts: BusStats = { received: 0, deliveries: 0, failures: 0, deadLettered: 0 };
  private readonly deadLetterCounts: Partial<Record<ProjectionName, number>> = {};
  private readonly stopping = new AbortController();

  constructor(private readonly options: EventBusOptions) {
    this.archive = new JsonLinesFile(path.join(options.dataDir, "archive", `${options.name}.jsonl`));
    // Every waiting delivery listens for the stop: many may wait at once.
    setMaxListeners(0, this.stopping.signal);
  }

  deadLetterFile(projection: ProjectionName): JsonLinesFile {
    let file = this.dlq.get(projection);
    if (!file) this.dlq.set(projection, (file = new JsonLinesFile(path.join(this.options.dataDir, "dlq", `${projection}.jsonl`))));
    return file;
  }

  /** Archives the events, then starts their deliveries without waiting for them. */
  async put(events: BusEnvelope[]): Promise<void> {
    const archivedAt = new Date().toISOString();
    await this.archive.append(...events.map((event): ArchiveRecord => ({ archivedAt, event })));
    this.counts.received += events.length;
    for (const event of events) void this.deliverTo(this.options.rules, event);
  }

  /**
   * Delivers one event, without archiving it, to those of `rules` whose pattern it matches,
   * each on its own with the same retries and dead-letter files as `put`; resolves once every
   * one of them succeeded or was dead-lettered. Replays go through here.
   */
  deliverTo(rules: readonly BusRule[], event: BusEnvelope): Promise<void> {
    const faults = this.options.faults;
    const deliveries = rules
      .filter((r) => matches(r.pattern, event))
      .flatMap((rule) => {
        // At least once: now and then the same event reaches the same target twice.
        const times = faults?.roll("duplicate") ? 2 : 1;
        return Array.from({ length: times }, () => this.deliver(rule, event));
      });
    for (const delivery of deliveries) this.track(delivery);
    return Promise.all(deliveries).then(() => undefined);
  }

  get rules(): readonly BusRule[] {
    return this.options.rules;
  }

  /** Resolves once no delivery is running or waiting to be retried. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  stats(): BusStats {
    return { ...this.counts };
  }

  /** Events dead-lettered since start, per projection. */
  deadLetters(): Partial<Record<ProjectionName, number>> {
    return { ...this.deadLetterCounts };
  }

  /** Stops waiting to retry: those deliveries go to the dead-letter files now, so nothing accepted is lost. */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  private track(delivery: Promise<void>): void {
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  private async deliver(rule: BusRule, event: BusEnvelope): Promise<void> {
    const { maxAttempts } = this.options.retry;
    let lastError = "";
    const faults = this.options.faults;
    if (faults?.roll("delay") && !(await this.sleep(faults.random() * faults.maxDelayMs))) {
      return this.deadLetter(rule, event, 0, "held back by the delay fault; the sandbox stopped before the first attempt");
    }
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1 && !(await this.wait(attempt - 1))) {
        lastError = `${lastError}; the sandbox stopped before the next retry`;
        return this.deadLetter(rule, event, attempt - 1, lastError);
      }
      this.counts.deliveries++;
      try {
        await this.options.deliver(rule, event);
        return;
      } catch (error) {
        this.counts.failures++;
        lastError = errorMessage(error);
        this.options.log("warn", `${rule.name}: delivery ${attempt}/${maxAttempts} of ${event["detail-type"]} ${event.id} failed: ${lastError}`);
      }
    }
    return this.deadLetter(rule, event, maxAttempts, lastError);
  }

  /** Waits before retry `n` (1-based); false if the bus stopped meanwhile. */
  private async wait(n: number): Promise<boolean> {
    const { baseDelayMs, maxDelayMs } = this.options.retry;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1));
    // "Equal jitter": half the backoff fixed, half random, so retries of many failures spread out.
    return this.sleep(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  /** Waits `ms`; false if the bus stopped meanwhile. */
  private async sleep(ms: number): Promise<boolean> {
    if (this.stopping.signal.aborted) return false;
    try {
      await sleep(ms, undefined, { signal: this.stopping.signal });
      return true;
    } catch {
      return false;
    }
  }

  private async deadLetter(rule: BusRule, event: BusEnvelope, attempts: number, error: string): Promise<void> {
    const record: DeadLetter = { failedAt: new Date().toISOString(), rule: rule.name, projection: rule.projection, attempts, error, event };
    try {
      await this.deadLetterFile(rule.projection).append(record);
    } catch (writeError) {
      this.options.log("error", `${rule.name}: could not write the dead letter of ${event.id}: ${errorMessage(writeError)}`);
    }
    this.counts.deadLettered++;
    this.deadLetterCounts[rule.projection] = (this.deadLetterCounts[rule.projection] ?? 0) + 1;
    this.options.log("error", `${rule.name}: ${event["detail-type"]} ${event.id} dead-lettered after ${attempts} attempts: ${error}`);
  }
}
