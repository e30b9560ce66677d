/**
 * The app port over the event table: one item per app (`pk = app#<appId>`, `sk = 0`) and
 * one per creator listing their apps' ids (`pk = apps#<userId>`, `sk = 0`, a string set).
 * A webhook is added with a condition that the app is not revoked, and revoking returns the
 * app as the mark left it, so no webhook can slip in between (usecases/apps.ts).
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { App, WebhookEntry } from "../domain/app/app";
import type { AppStore } from "../ports";
import { eventTable } from "./eventTable";

const appKey = (appId: string) => ({ pk: `${eventTable.appPrefix}${appId}`, sk: 0 });
const appsOfKey = (userId: string) => ({ pk: `${eventTable.appsOfUserPrefix}${userId}`, sk: 0 });

export class DynamoAppStore implements AppStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: () => string,
  ) {}

  async create(app: App): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table(), Item: { ...appKey(app.appId), app }, ConditionExpression: "attribute_not_exists(pk)" }));
    await this.db.send(
      new UpdateCommand({
        TableName: this.table(),
        Key: appsOfKey(app.createdBy),
        UpdateExpression: "ADD appIds :id",
        ExpressionAttributeValues: { ":id": new Set([app.appId]) },
      }),
    );
  }

  async get(appId: string): Promise<App | undefined> {
    const found = await this.db.send(new GetCommand({ TableName: this.table(), Key: appKey(appId), ConsistentRead: true }));
    return found.Item?.app as App | undefined;
  }

  async idsOf(userId: string): Promise<string[]> {
    const found = await this.db.send(new GetCommand({ TableName: this.table(), Key: appsOfKey(userId), ConsistentRead: true }));
    const ids = found.Item?.appIds as Set<string> | undefined;
    return ids ? [...ids].sort() : [];
  }

  async addWebhook(appId: string, webhook: WebhookEntry): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table(),
          Key: appKey(appId),
          UpdateExpression: "SET app.webhooks.#w = :webhook",
          ConditionExpression: "attribute_exists(app) AND attribute_not_exists(app.revokedAt)",
          ExpressionAttributeNames: { "#w": webhook.webhookId },
          ExpressionAttributeValues: { ":webhook": webhook },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async revoke(app: App, at: string): Promise<App> {
    const updated = await this.db.send(
      new UpdateCommand({
        TableName: this.table(),
        Key: appKey(app.appId),
        UpdateExpression: "SET app.revokedAt = if_not_exists(app.revokedAt, :at)",
        ExpressionAttributeValues: { ":at": at },
        ReturnValues: "ALL_NEW",
      }),
    );
    await this.db.send(
      new UpdateCommand({
        TableName: this.table(),
        Key: appsOfKey(app.createdBy),
        UpdateExpression: "DELETE appIds :id",
        ExpressionAttributeValues: { ":id": new Set([app.appId]) },
      }),
    );
    return updated.Attributes?.app as App;
  }
}
