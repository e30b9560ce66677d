/** The sweep behind principle 6: events stored but not confirmed by the bus are sent again. */
import type { EventBus, EventStore } from "../ports";
import { publish } from "./publish";

/** Younger events may still be on their way from the store handler itself. */
export const republishAfterMs = 10_000;

export async function republish(deps: { store: EventStore; bus: EventBus; now: () => Date }, limit = 100): Promise<number> {
  const before = new Date(deps.now().getTime() - republishAfterMs).toISOString();
  let total = 0;
  for (;;) {
    const events = await deps.store.unpublished(before, limit);
    if (events.length === 0) return total;
    const sent = await publish(events, deps);
    total += sent;
    if (sent < events.length) return total; // the bus is failing: try again on the next tick
  }
}
