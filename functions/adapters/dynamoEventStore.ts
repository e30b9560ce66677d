/** The event store port over one DynamoDB table (see eventTable.ts for the item layout). */
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { StoredEvent } from "../domain/events";
import type { EventStore, Snapshot, SnapshotSet, StreamListing } from "../ports";
import { eventTable } from "./eventTable";
import { partsOf, partUnits, reusable, type SetRef, setPartsKey, setRefOf, setTtlSeconds, statePartsKey, statePartTtlSeconds } from "./snapshotLayout";

export function documentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export class DynamoEventStore implements EventStore, StreamListing {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: () => string,
  ) {}

  async append(event: StoredEvent): Promise<"appended" | "conflict"> {
    const item = {
      pk: event.stream,
      sk: event.seq,
      eventId: event.eventId,
      type: event.type,
      timestamp: event.timestamp,
      // The table's stream carries this to the publisher (eventTable.streamFilter).
      event: JSON.stringify(event),
    };
    try {
      await this.db.send(
        new PutCommand({ TableName: this.table(), Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
      );
      return "appended";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "conflict";
      throw error;
    }
  }

  async read(stream: string, afterSeq: number, limit?: number): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    const query = { ...this.after(stream, afterSeq), ProjectionExpression: "event" };
    for await (const items of this.pages((start) => new QueryCommand({ ...query, ExclusiveStartKey: start, Limit: limit === undefined ? undefined : limit - events.length }))) {
      for (const item of items) events.push(JSON.parse(item.event as string) as StoredEvent);
      if (limit !== undefined && events.length >= limit) break;
    }
    return events;
  }

  async find(stream: string, afterSeq: number, eventId: string): Promise<StoredEvent | undefined> {
    const query = this.after(stream, afterSeq);
    // The event sits a few seqs after `afterSeq` (more only under contention): read pages of
    // 50, not DynamoDB's 1 MB a query would otherwise read (and bill) before filtering.
    const filtered = { ...query, Limit: 50, FilterExpression: "eventId = :id", ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ":id": eventId } };
    for await (const items of this.pages((start) => new QueryCommand({ ...filtered, ExclusiveStartKey: start }))) {
      const found = items[0];
      if (found) return JSON.parse(found.event as string) as StoredEvent;
    }
    return undefined;
  }

  /** A consistent query of a stream's events after a seq. */
  private after(stream: string, afterSeq: number) {
    return {
      TableName: this.table(),
      KeyConditionExpression: "pk = :pk AND sk > :after",
      ExpressionAttributeValues: { ":pk": stream, ":after": afterSeq } as Record<string, unknown>,
      ConsistentRead: true,
    };
  }

  /** Every page of a query or scan, following LastEvaluatedKey. */
  private async *pages(command: (start?: Record<string, unknown>) => QueryCommand | ScanCommand): AsyncGenerator<Record<string, unknown>[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(command(start) as QueryCommand);
      yield page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }

  async exists(stream: string, seq: number): Promise<boolean> {
    const found = await this.db.send(
      new GetCommand({ TableName: this.table(), Key: { pk: stream, sk: seq }, ProjectionExpression: "pk", ConsistentRead: true }),
    );
    return found.Item !== undefined;
  }

  async at(stream: string, seq: number): Promise<StoredEvent | undefined> {
    const found = await this.db.send(
      new GetCommand({ TableName: this.table(), Key: { pk: stream, sk: seq }, ProjectionExpression: "event", ConsistentRead: true }),
    );
    const event = found.Item?.event;
    return typeof event === "string" ? (JSON.parse(event) as StoredEvent) : undefined;
  }

  async readSnapshot<S>(stream: string): Promise<Snapshot<S> | undefined> {
    const found = await this.db.send(new GetCommand({ TableName: this.table(), Key: { pk: stream, sk: 0 }, ConsistentRead: true }));
    if (!found.Item) return undefined;
    const version = found.Item.version as number;
    // A state whose set is kept apart is `core` (`coreParts`): a reader from before sets
    // existed finds no `state` there and folds the stream, instead of deciding without members.
    const parts = (found.Item.coreParts ?? found.Item.parts) as number | undefined;
    const state = parts === undefined ? ((found.Item.core ?? found.Item.state) as string | undefined) : await this.joinedParts(statePartsKey(stream, version), parts);
    if (state === undefined) return undefined;
    const ref = setRefOf(found.Item);
    if (!ref) return { version, state: JSON.parse(state) as S };
    const items = await this.joinedParts(setPartsKey(stream, ref.setVersion), ref.setParts);
    return items === undefined ? undefined : { version, state: JSON.parse(state) as S, set: { version: ref.setVersion, items: JSON.parse(items) as string[] } };
  }

  /** The parts under `pk` joined, or undefined when they are not all there (expired). */
  private async joinedParts(pk: string, count: number): Promise<string | undefined> {
    const parts: string[] = [];
    const query = { TableName: this.table(), KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": pk }, ConsistentRead: true };
    for await (const items of this.pages((start) => new QueryCommand({ ...query, ExclusiveStartKey: start }))) for (const item of items) parts.push(item.state as string);
    return parts.length === count ? parts.join("") : undefined;
  }

  async writeSnapshot<S>(stream: string, version: number, state: S, set?: SnapshotSet): Promise<void> {
    try {
      const ref = set ? await this.storedSet(stream, version, set) : undefined;
      if (ref === "newer") return;
      const json = JSON.stringify(state);
      const parts = json.length > partUnits ? partsOf(json) : undefined;
      // The parts first, each under this version's key; the snapshot item, written last, points at them.
      if (parts) await this.putParts(statePartsKey(stream, version), parts, Math.floor(Date.now() / 1000) + statePartTtlSeconds);
      await this.db.send(
        new PutCommand({
          TableName: this.table(),
          Item: { pk: stream, sk: 0, version, ...(ref ? (parts ? { coreParts: parts.length } : { core: json }) : parts ? { parts: parts.length } : { state: json }), ...ref },
          ConditionExpression: "attribute_not_exists(pk) OR version < :v",
          ExpressionAttributeValues: { ":v": version },
        }),
      );
    } catch {
      // A newer snapshot is already there, or the write failed (throttled, too large): a
      // snapshot only saves reading, so the caller goes on without it.
    }
  }

  /**
   * The set as the new snapshot points at it: the one the stored snapshot points at when it
   * is the same set (and not near its expiry), else written now. "newer" when the stored
   * snapshot is already as new: nothing to write. One small read instead of a large write.
   */
  private async storedSet(stream: string, version: number, set: SnapshotSet): Promise<SetRef | "newer"> {
    const found = await this.db.send(
      new GetCommand({ TableName: this.table(), Key: { pk: stream, sk: 0 }, ProjectionExpression: "version, setVersion, setParts, setExpiresAt", ConsistentRead: true }),
    );
    if (found.Item && (found.Item.version as number) >= version) return "newer";
    const now = Math.floor(Date.now() / 1000);
    const stored = found.Item && setRefOf(found.Item);
    if (reusable(stored, set.version, now)) return stored;
    const parts = partsOf(JSON.stringify(set.items));
    const setExpiresAt = now + setTtlSeconds;
    await this.putParts(setPartsKey(stream, set.version), parts, setExpiresAt);
    return { setVersion: set.version, setParts: parts.length, setExpiresAt };
  }

  private async putParts(pk: string, parts: readonly string[], expiresAt: number): Promise<void> {
    await Promise.all(
      parts.map((part, i) => this.db.send(new PutCommand({ TableName: this.table(), Item: { pk, sk: i + 1, state: part, [eventTable.ttlAttribute]: expiresAt } }))),
    );
  }

  /** A scan of keys only: the rebuild tool's listing of every stream and its length. */
  async streams(): Promise<{ stream: string; lastSeq: number }[]> {
    const lastSeq = new Map<string, number>();
    const scan = {
      TableName: this.table(),
      ProjectionExpression: "pk, sk",
      FilterExpression: "sk > :zero AND NOT begins_with(pk, :claim) AND NOT begins_with(pk, :parts)",
      ExpressionAttributeValues: { ":zero": 0, ":claim": eventTable.claimPrefix, ":parts": eventTable.snapshotPartsPrefix },
    };
    for await (const items of this.pages((start) => new ScanCommand({ ...scan, ExclusiveStartKey: start }))) {
      for (const item of items) lastSeq.set(item.pk as string, Math.max(lastSeq.get(item.pk as string) ?? 0, item.sk as number));
    }
    return [...lastSeq].map(([stream, seq]) => ({ stream, lastSeq: seq })).sort((a, b) => (a.stream < b.stream ? -1 : 1));
  }
}
