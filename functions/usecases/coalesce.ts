/**
 * Coalescing live runs, so that under load one catch-up applies many events in one write.
 *
 * Every event reaches each projection it is routed to at least once (the bus retries, then
 * keeps a dead letter to re-drive). So when a run woken by the event at `ownSeq` finds in
 * the store a later event that its projection also receives, that later event's run is
 * still to come, and it will catch up through `ownSeq` from the same checkpoint: this run
 * may leave the write to it. In a burst only the run of the last event writes; by induction
 * over the stream's finite tail, every event is applied by some run.
 *
 * A steady stream always has a later event, so once the oldest event the views lack is
 * `maxDeferMs` old, runs write anyway; but only every `flushEvery`-th of the pending
 * events' runs, so that runs overlapping on a slow day do not all race for one write (each
 * loser's refused PUT is billed). Views lag a busy channel by about `maxDeferMs`, or
 * `flushEvery` events if they come slower than that; realtime pushes do not wait for views.
 *
 * The price: an event the bus did not take reaches its projections only when the
 * re-publisher sweeps it (every minute on AWS), and the events before it whose runs left
 * their write to it wait with it. That is rare (PutEvents failing) and bounded.
 */
import type { EventType, StoredEvent } from "../domain/events";
import { type ProjectionName, routes } from "../domain/routes";
import type { EventStore } from "../ports";

export const maxDeferMs = 1000;
export const flushEvery = 8;

export function deferToLaterRun(
  pending: readonly StoredEvent[],
  ownSeq: number,
  receives: readonly EventType[],
  now: number,
): boolean {
  const routed = pending.filter((event) => receives.includes(event.type));
  const own = routed.findIndex((event) => event.seq === ownSeq);
  if (own < 0 || own === routed.length - 1) return false; // the last one, or past this batch: write
  const oldest = pending[0];
  const overdue = !oldest || now - Date.parse(oldest.timestamp) >= maxDeferMs;
  return !overdue || (own + 1) % flushEvery !== 0;
}

/**
 * In a busy stream (the event before this run's own came less than `hotGapMs` earlier), a
 * run about to write first waits `gatherMs` for followers and looks again: if one came, it
 * leaves the write to that one's run. A wait of 150 ms at 512 MB costs about a fifth of
 * the S3 PUT it saves, and only streams in a burst wait.
 */
export const hotGapMs = 250;
export const gatherMs = 150;

/** The coalescing decisions of one live run; without `untilSeq` (a rebuild's run) it always writes. */
export class LiveRun {
  private gathered = false;

  constructor(
    private readonly name: ProjectionName,
    private readonly stream: string,
    private readonly untilSeq: number | undefined,
    private readonly store: Pick<EventStore, "read">,
    private readonly now: () => Date = () => new Date(),
    private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** "defer": leave the write to a later event's run; "again": waited for followers, read again. */
  async decide(pending: readonly StoredEvent[]): Promise<"write" | "defer" | "again"> {
    if (this.untilSeq === undefined) return "write";
    if (deferToLaterRun(pending, this.untilSeq, routes[this.name], this.now().getTime())) return "defer";
    if (this.gathered || !(await this.busy(pending, this.untilSeq))) return "write";
    this.gathered = true;
    await this.wait(gatherMs);
    return "again";
  }

  private async busy(pending: readonly StoredEvent[], ownSeq: number): Promise<boolean> {
    const own = pending.find((event) => event.seq === ownSeq);
    if (!own || ownSeq < 2) return false;
    const previous = pending.find((event) => event.seq === ownSeq - 1) ?? (await this.store.read(this.stream, ownSeq - 2, 1))[0];
    return previous !== undefined && Date.parse(own.timestamp) - Date.parse(previous.timestamp) < hotGapMs;
  }
}
