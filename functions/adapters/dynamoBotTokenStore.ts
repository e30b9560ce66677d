/**
 * Bots' tokens over the event table: `pk = bottoken#<SHA-256 of the token, hex>`, `sk = 0`.
 * The authorizer finds a token with one GetItem by that key; revoking deletes the item.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { BotToken, BotTokenStore } from "../ports";
import { eventTable } from "./eventTable";

const tokenKey = (tokenHash: string) => ({ pk: `${eventTable.botTokenPrefix}${tokenHash}`, sk: 0 });

export class DynamoBotTokenStore implements BotTokenStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: () => string,
  ) {}

  async put(tokenHash: string, token: BotToken): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table(), Item: { ...tokenKey(tokenHash), appId: token.appId, botUserId: token.botUserId } }));
  }

  async find(tokenHash: string): Promise<BotToken | undefined> {
    // Strongly consistent: a revoked token is refused from the moment its item is gone.
    const found = await this.db.send(new GetCommand({ TableName: this.table(), Key: tokenKey(tokenHash), ConsistentRead: true }));
    const item = found.Item;
    return item && typeof item.appId === "string" && typeof item.botUserId === "string" ? { appId: item.appId, botUserId: item.botUserId } : undefined;
  }

  async remove(tokenHash: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table(), Key: tokenKey(tokenHash) }));
  }
}
