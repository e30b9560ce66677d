/**
 * The event store table's shape, declared once for the Pulumi program and the sandbox.
 *
 * Items:
 * - events: pk = stream (`channel-<id>`, `user-<id>`), sk = seq (1, 2, …). An event not yet
 *   confirmed on the bus carries `unpublished` (the sparse index the re-publisher sweeps):
 *   `pending#<shard>`, the shard a hash of the stream, so that no one index key takes every
 *   event of the system (a key carries about 1,000 writes a second); keys only, so an
 *   index write costs one unit whatever the event's size.
 * - snapshots: pk = stream, sk = 0; the decide-state folded up to `version`. A state too
 *   large for one item (a channel of thousands of members) is kept in parts, pk =
 *   `snapshot#<stream>#<version>`, sk = 1, 2, …, that expire (`expiresAt`, TTL).
 * - claims: pk = `claim#…`, sk = 0; idempotency keys, message ids and channel names, each
 *   pointing at the event that took it. Claims of idempotency keys expire (`expiresAt`, TTL).
 * - read marks: pk = `readmarks#<userId>`, sk = 0; `marks` maps channel ids to seqs.
 */
export const eventTable = {
  partitionKey: "pk",
  sortKey: "sk",
  unpublishedIndex: { name: "unpublished", partitionKey: "unpublished", sortKey: "timestamp", shards: 32 },
  ttlAttribute: "expiresAt",
  snapshotPartsPrefix: "snapshot#",
  /** Every claim's `pk` starts so (dynamoClaimStore.ts); stream ids never do. */
  claimPrefix: "claim#",
  /** Every user's read marks item: `pk` = this + the user id (dynamoReadMarkStore.ts). */
  readMarksPrefix: "readmarks#",
} as const;

/** Every event's mark before sharding, still swept: events stored by earlier versions carry it. */
const legacyOutboxKey = "pending";

/** The outbox index key of a stream's events: a stream stays on one shard, streams spread over all. */
export function outboxKey(stream: string): string {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < stream.length; i++) hash = Math.imul(hash ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  return `pending#${hash % eventTable.unpublishedIndex.shards}`;
}

/** Every outbox index key a sweep queries. */
export const outboxKeys = (): string[] => [...Array.from({ length: eventTable.unpublishedIndex.shards }, (_, i) => `pending#${i}`), legacyOutboxKey];
