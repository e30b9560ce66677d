/**
 * Connections in their own table (`pk`, `sk` strings; TTL on `expiresAt`). Each connection
 * is two items: under its user (`user#<id>`), to reach a user's sockets, and under `all`,
 * to reach everyone when a public channel is created.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Connection, ConnectionStore } from "../ports";

const everyone = "all";
const ofUserKey = (userId: string) => `user#${userId}`;

export class DynamoConnectionStore implements ConnectionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: () => string,
  ) {}

  async add(connection: Connection, expiresAt: number): Promise<void> {
    const item = { sk: connection.connectionId, ...connection, expiresAt };
    await Promise.all([
      this.db.send(new PutCommand({ TableName: this.table(), Item: { pk: ofUserKey(connection.userId), ...item } })),
      this.db.send(new PutCommand({ TableName: this.table(), Item: { pk: everyone, ...item } })),
    ]);
  }

  async remove(connection: Connection): Promise<void> {
    await Promise.all(
      [ofUserKey(connection.userId), everyone].map((pk) =>
        this.db.send(new DeleteCommand({ TableName: this.table(), Key: { pk, sk: connection.connectionId } })),
      ),
    );
  }

  ofUser(userId: string): Promise<Connection[]> {
    return this.query(ofUserKey(userId));
  }

  all(): Promise<Connection[]> {
    return this.query(everyone);
  }

  private async query(pk: string): Promise<Connection[]> {
    const connections: Connection[] = [];
    const now = Math.floor(Date.now() / 1000);
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table(),
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": pk },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        // TTL deletes lazily: skip what has expired but is still there.
        if ((item.expiresAt as number) > now) connections.push({ connectionId: item.connectionId as string, userId: item.userId as string });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return connections;
  }
}
