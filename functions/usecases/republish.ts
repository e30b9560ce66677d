/** The sweep behind principle 6: events stored but not confirmed by the bus are sent again. */
import type { EventBus, EventStore } from "../ports";
import { publish } from "./publish";

/** Younger events may still be on their way from the store handler itself. */
export const republishAfterMs = 10_000;

export interface Sweep {
  /** Unpublished events past the grace period that this sweep found (the alarm's backlog). */
  backlog: number;
  republished: number;
}

export async function republish(deps: { store: EventStore; bus: EventBus; now: () => Date }, limit = 100): Promise<Sweep> {
  const before = new Date(deps.now().getTime() - republishAfterMs).toISOString();
  const sweep: Sweep = { backlog: 0, republished: 0 };
  for (;;) {
    const events = await deps.store.unpublished(before, limit);
    if (events.length === 0) return sweep;
    sweep.backlog += events.length;
    const sent = await publish(events, deps);
    sweep.republished += sent;
    if (sent < events.length) return sweep; // the bus is failing: try again on the next tick
  }
}
