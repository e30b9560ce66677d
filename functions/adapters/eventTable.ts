/**
 * The event store table's shape, declared once for the Pulumi program and the sandbox.
 *
 * Items:
 * - events: pk = stream (`channel-<id>`, `user-<id>`), sk = seq (1, 2, …). An event not yet
 *   confirmed on the bus carries `unpublished` (the sparse index the re-publisher sweeps).
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
  unpublishedIndex: { name: "unpublished", partitionKey: "unpublished", sortKey: "timestamp" },
  ttlAttribute: "expiresAt",
  snapshotPartsPrefix: "snapshot#",
  /** Every claim's `pk` starts so (dynamoClaimStore.ts); stream ids never do. */
  claimPrefix: "claim#",
  /** Every user's read marks item: `pk` = this + the user id (dynamoReadMarkStore.ts). */
  readMarksPrefix: "readmarks#",
} as const;
