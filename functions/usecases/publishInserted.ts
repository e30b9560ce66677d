/**
 * Principle 6 through the table's stream: every event the store inserted reaches the bus.
 * The caller retries from the first event the bus did not take, and everything after it,
 * so nothing is skipped; what did go is sent again then, which every consumer takes as
 * the duplicate it is (the projections read the store from the seq they hold; notify and
 * the web drop what they have). The bus orders nothing anyway (EventBridge delivers
 * concurrently, and a PutEvents may take some entries and refuse others), so a batch's
 * PutEvents calls go out at once: a shard carries ten times more events a second than
 * with one call after another.
 */
import type { StoredEvent } from "../domain/events";
import type { EventBus } from "../ports";

export interface Inserted<Id> {
  /** Where the record sits in the table's stream (the caller's retry point). */
  id: Id;
  event: StoredEvent;
}

/** Publishes in the bus's batches, all at once. Returns the first record (in stream order) the bus did not take. */
export async function publishInserted<Id>(records: readonly Inserted<Id>[], bus: EventBus, batchSize = 10): Promise<Id | undefined> {
  const batches: Inserted<Id>[][] = [];
  for (let start = 0; start < records.length; start += batchSize) batches.push(records.slice(start, start + batchSize));
  const refused = await Promise.all(batches.map(async (batch) => new Set(await bus.publish(batch.map((r) => r.event)))));
  const failed = new Set(refused.flatMap((set) => [...set]));
  return records.find((r) => failed.has(r.event))?.id;
}
