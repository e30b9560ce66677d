/**
 * The ports the use cases need; adapters implement them over DynamoDB, S3 and EventBridge.
 * Nothing here knows an SDK.
 */
import type { App, WebhookEntry } from "./domain/app/app";
import type { StoredEvent } from "./domain/events";
import type { JoinedChannel, MembershipRegister } from "./domain/presence";

export interface EventStore {
  /** Appends at `event.seq` unless that place is taken: the optimistic concurrency check. */
  append(event: StoredEvent): Promise<"appended" | "conflict">;
  /** The stream's events after `afterSeq`, in seq order (all of them, paged underneath). */
  read(stream: string, afterSeq: number, limit?: number): Promise<StoredEvent[]>;
  find(stream: string, afterSeq: number, eventId: string): Promise<StoredEvent | undefined>;
  exists(stream: string, seq: number): Promise<boolean>;
  /** The event at `seq` of the stream, if there is one (one item read, not a query). */
  at(stream: string, seq: number): Promise<StoredEvent | undefined>;
  readSnapshot<S>(stream: string): Promise<Snapshot<S> | undefined>;
  /**
   * Keeps whichever snapshot is newer; never fails the caller. A `set` is kept apart from
   * the state and stored again only when its version is not the one already stored.
   */
  writeSnapshot<S>(stream: string, version: number, state: S, set?: SnapshotSet): Promise<void>;
}

/** A stream's state folded up to `version`, as a snapshot holds it. */
export interface Snapshot<S> {
  version: number;
  state: S;
  /** The large set written with the snapshot, if one was (a channel's members). */
  set?: SnapshotSet;
}

/**
 * A set too large to rewrite with every snapshot: `version` names its content (the seq of
 * the event that last changed it), so a snapshot whose set has not changed only points at it.
 */
export interface SnapshotSet {
  version: number;
  items: string[];
}

/** What the rebuild tool needs beyond the functions' ports: a whole-store listing. */
export interface StreamListing {
  /** Every stream with the seq of its last event. */
  streams(): Promise<{ stream: string; lastSeq: number }[]>;
}

/** The answer to an accepted event; stored with claims so a retry gets it back unchanged. */
export interface Accepted {
  eventId: string;
  stream: string;
  seq: number;
  timestamp: string;
}

/** A unique key (idempotency key, message id, channel name) taken by one event. */
export interface Claim {
  key: string;
  eventId: string;
  stream: string;
  /** The event, once appended, sits after this seq: where a retry looks for it. */
  afterSeq: number;
  owner: string;
  /** Until then the request that took the claim may still be running. */
  leaseUntil: number;
  requestHash?: string;
  /** The event as first prepared (ids and all), so a retry re-sends the very same one. */
  prepared?: string;
  result?: Accepted;
  position?: number;
  /** Set on a message's claim by deletions stored before deletions took a claim of their own. */
  deleted?: boolean;
  expiresAt?: number;
}

export interface ClaimStore {
  get(key: string): Promise<Claim | undefined>;
  create(claim: Claim): Promise<boolean>;
  /** Replaces an abandoned claim, if it is still the one that was read. */
  takeOver(previous: Claim, next: Claim): Promise<boolean>;
  /** Replaces a claim whose event is stored but no longer holds the key (a channel renamed away from a name), if it is still the one that was read. */
  reclaim(previous: Claim, next: Claim): Promise<boolean>;
  complete(key: string, eventId: string, result: Accepted, position?: number): Promise<void>;
  release(key: string, eventId: string): Promise<void>;
}

/**
 * Each user's read marks (CONTRACT §14): per channel, the seq of the last event they have
 * read. State rather than events: marks change with every glance at a channel, and only
 * their latest value matters.
 */
export interface ReadMarkStore {
  of(userId: string): Promise<Record<string, number>>;
  /** Moves the mark forward to `seq`; a mark already there or further stays as it is. */
  advance(userId: string, channelId: string, seq: number): Promise<void>;
}

export interface Stored<T> {
  doc: T;
  body: string;
  etag: string;
}

export type PutCondition = { etag: string } | { absent: true };

/** Small facts stored beside a document (S3 object metadata), read without its body. */
export type ViewMeta = Record<string, string>;

export interface ViewStore {
  get<T>(key: string): Promise<Stored<T> | undefined>;
  /** A conditional put: "conflict" when the object changed (or appeared) since it was read. */
  put(key: string, body: string, condition: PutCondition, meta?: ViewMeta): Promise<"ok" | "conflict">;
  /** A document's metadata without its body (an S3 HEAD); undefined when there is no such document. */
  meta(key: string): Promise<ViewMeta | undefined>;
}

/** Housekeeping of old view generations (the rebuild tool's, never a function's). */
export interface ViewMaintenance {
  list(prefix: string): Promise<string[]>;
  delete(keys: readonly string[]): Promise<void>;
}

export interface EventBus {
  /** Publishes the events; returns those the bus did not take. */
  publish(events: readonly StoredEvent[]): Promise<StoredEvent[]>;
}

/** A live WebSocket connection of a signed-in user. */
export interface Connection {
  connectionId: string;
  userId: string;
}

/**
 * Open connections, found by user, by channel (presence: the connections entered in a
 * channel, a superset of its online members that the caller filters), or all of them.
 */
export interface ConnectionStore {
  add(connection: Connection, expiresAt: number): Promise<void>;
  /** Forgets the connection under its user, under everyone, and in every channel it was entered in (and in `alsoIn`). */
  remove(connection: Connection, alsoIn?: readonly string[]): Promise<void>;
  /** Read after every write before it: the lookups that close the race with a connect. */
  ofUser(userId: string): Promise<Connection[]>;
  all(): Promise<Connection[]>;
  /** The connections entered in the channel, read after every write before it; members or not, as entered. */
  inChannel(channelId: string): Promise<Connection[]>;
  /** Enters the connection in the channels, each kept unless a newer verdict is there; nothing once the connection is gone. */
  enter(connection: Connection, channels: readonly JoinedChannel[]): Promise<void>;
  /** Takes the connections out of the channel, unless a verdict newer than `version` entered them. */
  exit(channelId: string, connections: readonly Connection[], version: number): Promise<void>;
}

/**
 * The memberships the realtime side has seen, per user: notify records each membership
 * event's verdict before it looks for the user's connections, and a connect reads them
 * after storing its connection, so a join racing a connect is seen by one or the other.
 */
export interface MembershipStore {
  /** Keeps the register unless a later one is there. */
  record(userId: string, channelId: string, register: MembershipRegister): Promise<void>;
  /** By channel id; read after every write before it. */
  of(userId: string): Promise<Record<string, MembershipRegister>>;
}

export interface Pusher {
  /** "gone" when the connection no longer exists (API Gateway's 410). */
  push(connectionId: string, data: string): Promise<"sent" | "gone">;
}

/**
 * Apps (CONTRACT §13): state, not events (an app's bot is a user, registered through the
 * event store; the app itself is a credential). One item per app, and per creator the ids
 * of their apps.
 */
export interface AppStore {
  /** Stores a new app and lists it under its creator. */
  create(app: App): Promise<void>;
  get(appId: string): Promise<App | undefined>;
  /** The ids of the user's apps (a revoked app is taken off). */
  idsOf(userId: string): Promise<string[]>;
  /** Adds the webhook to the app, unless the app was revoked meanwhile (false then). */
  addWebhook(appId: string, webhook: WebhookEntry): Promise<boolean>;
  /**
   * Marks the app revoked (the first `revokedAt` stays), takes it off its creator's list,
   * and gives the app as it is now: with every webhook added before the mark, since none
   * can be added after it.
   */
  revoke(app: App, at: string): Promise<App>;
}

/** What a bot's token stands for, found by the token's SHA-256 (the token itself is never stored). */
export interface BotToken {
  appId: string;
  botUserId: string;
}

export interface BotTokenStore {
  put(tokenHash: string, token: BotToken): Promise<void>;
  /** One read by key: no scan, whatever the number of apps. */
  find(tokenHash: string): Promise<BotToken | undefined>;
  remove(tokenHash: string): Promise<void>;
}

/** An incoming webhook: its URL carries `webhookId` and a secret, kept as `secretHash` (SHA-256, hex). */
export interface Webhook {
  webhookId: string;
  appId: string;
  botUserId: string;
  channelId: string;
  createdBy: string;
  secretHash: string;
}

export interface WebhookStore {
  put(webhook: Webhook): Promise<void>;
  find(webhookId: string): Promise<Webhook | undefined>;
  remove(webhookId: string): Promise<void>;
}
