/** The event store port over one DynamoDB table (see eventTable.ts for the item layout). */
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { StoredEvent } from "../domain/events";
import type { EventStore, StreamListing } from "../ports";
import { eventTable } from "./eventTable";

const pendingMark = "pending";

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
      event: JSON.stringify(event),
      [eventTable.unpublishedIndex.partitionKey]: pendingMark,
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
    const filtered = { ...query, FilterExpression: "eventId = :id", ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ":id": eventId } };
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

  async readSnapshot<S>(stream: string): Promise<{ version: number; state: S } | undefined> {
    const found = await this.db.send(new GetCommand({ TableName: this.table(), Key: { pk: stream, sk: 0 }, ConsistentRead: true }));
    if (!found.Item) return undefined;
    return { version: found.Item.version as number, state: JSON.parse(found.Item.state as string) as S };
  }

  async writeSnapshot<S>(stream: string, version: number, state: S): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table(),
          Item: { pk: stream, sk: 0, version, state: JSON.stringify(state) },
          ConditionExpression: "attribute_not_exists(pk) OR version < :v",
          ExpressionAttributeValues: { ":v": version },
        }),
      );
    } catch (error) {
      // A newer snapshot is already there: nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async markPublished(event: StoredEvent): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table(),
          Key: { pk: event.stream, sk: event.seq },
          UpdateExpression: "REMOVE #u",
          ConditionExpression: "attribute_exists(#u)",
          ExpressionAttributeNames: { "#u": eventTable.unpublishedIndex.partitionKey },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async unpublished(before: string, limit: number): Promise<StoredEvent[]> {
    const { name, partitionKey, sortKey } = eventTable.unpublishedIndex;
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table(),
        IndexName: name,
        KeyConditionExpression: "#u = :pending AND #t < :before",
        ExpressionAttributeNames: { "#u": partitionKey, "#t": sortKey },
        ExpressionAttributeValues: { ":pending": pendingMark, ":before": before },
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((item) => JSON.parse(item.event as string) as StoredEvent);
  }

  /** A scan of keys only: the rebuild tool's listing of every stream and its length. */
  async streams(): Promise<{ stream: string; lastSeq: number }[]> {
    const lastSeq = new Map<string, number>();
    const scan = {
      TableName: this.table(),
      ProjectionExpression: "pk, sk",
      FilterExpression: "sk > :zero AND NOT begins_with(pk, :claim)",
      ExpressionAttributeValues: { ":zero": 0, ":claim": eventTable.claimPrefix },
    };
    for await (const items of this.pages((start) => new ScanCommand({ ...scan, ExclusiveStartKey: start }))) {
      for (const item of items) lastSeq.set(item.pk as string, Math.max(lastSeq.get(item.pk as string) ?? 0, item.sk as number));
    }
    return [...lastSeq].map(([stream, seq]) => ({ stream, lastSeq: seq })).sort((a, b) => (a.stream < b.stream ? -1 : 1));
  }
}
