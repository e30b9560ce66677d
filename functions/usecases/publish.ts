/** Sends stored events to the bus and marks the ones it took; the rest wait for the sweep. */
import type { StoredEvent } from "../domain/events";
import type { EventBus, EventStore } from "../ports";

export async function publish(events: readonly StoredEvent[], deps: { store: EventStore; bus: EventBus }): Promise<number> {
  const failed = new Set(await deps.bus.publish(events));
  const published = events.filter((e) => !failed.has(e));
  await Promise.all(published.map((e) => deps.store.markPublished(e)));
  return published.length;
}
