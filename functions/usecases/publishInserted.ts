/**
 * Principle 6 through the table's stream: every event the store inserted reaches the bus,
 * in the order the stream gives (a stream's events in seq order). The caller retries from
 * the first event the bus did not take, and everything after it, so a later event is
 * never published before an earlier one that failed; what did go is sent again then,
 * which the projections take as the duplicate it is.
 */
import type { StoredEvent } from "../domain/events";
import type { EventBus } from "../ports";

export interface Inserted<Id> {
  /** Where the record sits in the table's stream (the caller's retry point). */
  id: Id;
  event: StoredEvent;
}

/** Publishes in order, in the bus's batches; stops at the first batch with a failure. Returns the first failed record's id. */
export async function publishInserted<Id>(records: readonly Inserted<Id>[], bus: EventBus, batchSize = 10): Promise<Id | undefined> {
  for (let start = 0; start < records.length; start += batchSize) {
    const batch = records.slice(start, start + batchSize);
    const failed = new Set(await bus.publish(batch.map((r) => r.event)));
    const first = batch.find((r) => failed.has(r.event));
    if (first) return first.id;
  }
  return undefined;
}
