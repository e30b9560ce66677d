/**
 * The event store table's shape, declared once for the Pulumi program and the sandbox.
 *
 * Items:
 * - events: pk = stream (`channel-<id>`, `user-<id>`), sk = seq (1, 2, …); `event` holds the
 *   stored event's JSON. The table's stream (new images) feeds the publisher, which sends
 *   each inserted event to the bus: the stream is the outbox, written by DynamoDB itself
 *   with the item, so an event costs no write of its own to be published and no key is
 *   shared by every event of the system. Events stored by versions before 2026-12 may
 *   still carry `unpublished` (the outbox mark of those versions); nothing reads it now.
 * - snapshots: pk = stream, sk = 0; the decide-state folded up to `version`, without its
 *   large set (a channel's members), which is kept apart in parts, pk =
 *   `snapshot#<stream>#set#<setVersion>`, sk = 1, 2, …, written only when the set changed
 *   (`setVersion`: the seq of its last change) and expiring (`expiresAt`, TTL) unless a
 *   later snapshot stores it again (snapshotLayout.ts). Snapshots written before sets were
 *   kept apart hold the whole state, in parts `snapshot#<stream>#<version>` when too large.
 * - claims: pk = `claim#…`, sk = 0; idempotency keys, message ids and channel names, each
 *   pointing at the event that took it. Claims of idempotency keys expire (`expiresAt`, TTL).
 * - read marks: pk = `readmarks#<userId>`, sk = 0; `marks` maps channel ids to seqs.
 * - apps (CONTRACT §13): pk = `app#<appId>`, sk = 0, the app (dynamoAppStore.ts); pk =
 *   `apps#<userId>`, sk = 0, the ids of a user's apps; pk = `bottoken#<sha256 of the token>`,
 *   sk = 0, what a bot's token stands for (dynamoBotTokenStore.ts); pk = `webhook#<webhookId>`,
 *   sk = 0, a webhook with the hash of its secret (dynamoWebhookStore.ts). None holds a secret.
 */
export const eventTable = {
  partitionKey: "pk",
  sortKey: "sk",
  /**
   * The publisher's filter on the table's stream (Lambda event filtering): inserted items
   * that hold an event. Claims, snapshots and read marks have no `event` attribute, and
   * nothing updates an event once stored.
   */
  streamFilter: { eventName: ["INSERT"], dynamodb: { NewImage: { event: { S: [{ exists: true }] } } } },
  ttlAttribute: "expiresAt",
  snapshotPartsPrefix: "snapshot#",
  /** Every claim's `pk` starts so (dynamoClaimStore.ts); stream ids never do. */
  claimPrefix: "claim#",
  /** Every user's read marks item: `pk` = this + the user id (dynamoReadMarkStore.ts). */
  readMarksPrefix: "readmarks#",
  appPrefix: "app#",
  appsOfUserPrefix: "apps#",
  botTokenPrefix: "bottoken#",
  webhookPrefix: "webhook#",
} as const;

