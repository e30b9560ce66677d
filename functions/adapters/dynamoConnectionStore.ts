/**
 * Connections in their own table (`pk`, `sk` strings; TTL on `expiresAt`). Each connection
 * is an item under its user (`user#<id>`, to reach a user's sockets; it also lists the
 * channels the connection was entered in, so that forgetting it finds them), one under
 * `all` (to reach everyone when a public channel is created or someone is renamed), and
 * one under each channel it is entered in (`channel#<id>`: presence), which carries the
 * channel version its entry was decided at.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { JoinedChannel } from "../domain/presence";
import type { Connection, ConnectionStore } from "../ports";
import { inParallel } from "../domain/inParallel";

const everyone = "all";
const ofUserKey = (userId: string) => `user#${userId}`;
const inChannelKey = (channelId: string) => `channel#${channelId}`;
/** Writes of one connection's entries in flight at once (a connect enters every channel of its user). */
const writesInFlight = 25;

const isConditionFailure = (error: unknown) => (error as { name?: string }).name === "ConditionalCheckFailedException";
const unlessNewer = (error: unknown) => {
  if (!isConditionFailure(error)) throw error;
};

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

  async remove(connection: Connection, alsoIn: readonly string[] = []): Promise<void> {
    const [removed] = await Promise.all([
      this.db.send(new DeleteCommand({ TableName: this.table(), Key: { pk: ofUserKey(connection.userId), sk: connection.connectionId }, ReturnValues: "ALL_OLD" })),
      this.db.send(new DeleteCommand({ TableName: this.table(), Key: { pk: everyone, sk: connection.connectionId } })),
    ]);
    const entered = (removed.Attributes?.channels as Set<string> | undefined) ?? new Set<string>();
    await this.forgetIn([...new Set([...entered, ...alsoIn])], connection);
  }

  private async forgetIn(channels: readonly string[], connection: Connection): Promise<void> {
    await inParallel(channels, writesInFlight, async (channelId) => {
      await this.db.send(new DeleteCommand({ TableName: this.table(), Key: { pk: inChannelKey(channelId), sk: connection.connectionId } }));
    });
  }

  ofUser(userId: string): Promise<Connection[]> {
    return this.query(ofUserKey(userId), true);
  }

  all(): Promise<Connection[]> {
    return this.query(everyone, false);
  }

  inChannel(channelId: string): Promise<Connection[]> {
    return this.query(inChannelKey(channelId), true);
  }

  async enter(connection: Connection, channels: readonly JoinedChannel[]): Promise<void> {
    if (channels.length === 0) return;
    // Listed on the connection first, so that a disconnect from now on finds each entry;
    // a connection already forgotten is not brought back.
    let expiresAt: number;
    try {
      const listed = await this.db.send(
        new UpdateCommand({
          TableName: this.table(),
          Key: { pk: ofUserKey(connection.userId), sk: connection.connectionId },
          UpdateExpression: "ADD #channels :channels",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: { "#channels": "channels" },
          ExpressionAttributeValues: { ":channels": new Set(channels.map((c) => c.channelId)) },
          ReturnValues: "ALL_NEW",
        }),
      );
      expiresAt = listed.Attributes?.expiresAt as number;
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw error;
    }
    await inParallel(channels, writesInFlight, async ({ channelId, version }) => {
      await this.db
        .send(
          new PutCommand({
            TableName: this.table(),
            Item: { pk: inChannelKey(channelId), sk: connection.connectionId, ...connection, expiresAt, version },
            ConditionExpression: "attribute_not_exists(pk) OR #version <= :version",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: { ":version": version },
          }),
        )
        .catch(unlessNewer);
    });
    // A disconnect between the listing and these entries found them not yet there: if the
    // connection is gone now, its entries are this call's to take out.
    const still = await this.db.send(new GetCommand({ TableName: this.table(), Key: { pk: ofUserKey(connection.userId), sk: connection.connectionId }, ProjectionExpression: "pk", ConsistentRead: true }));
    if (!still.Item) await this.forgetIn(channels.map((c) => c.channelId), connection);
  }

  async exit(channelId: string, connections: readonly Connection[], version: number): Promise<void> {
    await inParallel(connections, writesInFlight, async (connection) => {
      await this.db
        .send(
          new DeleteCommand({
            TableName: this.table(),
            Key: { pk: inChannelKey(channelId), sk: connection.connectionId },
            ConditionExpression: "#version <= :version",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: { ":version": version },
          }),
        )
        .catch(unlessNewer);
    });
  }

  private async query(pk: string, consistent: boolean): Promise<Connection[]> {
    const connections: Connection[] = [];
    const now = Math.floor(Date.now() / 1000);
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table(),
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": pk },
          ProjectionExpression: "connectionId, userId, expiresAt",
          ConsistentRead: consistent || undefined,
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
