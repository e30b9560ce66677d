/** Incoming webhooks over the event table: `pk = webhook#<webhookId>`, `sk = 0`, with the hash of the URL's secret. */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Webhook, WebhookStore } from "../ports";
import { eventTable } from "./eventTable";

const webhookKey = (webhookId: string) => ({ pk: `${eventTable.webhookPrefix}${webhookId}`, sk: 0 });

export class DynamoWebhookStore implements WebhookStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: () => string,
  ) {}

  async put(webhook: Webhook): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table(), Item: { ...webhookKey(webhook.webhookId), webhook }, ConditionExpression: "attribute_not_exists(pk)" }));
  }

  async find(webhookId: string): Promise<Webhook | undefined> {
    const found = await this.db.send(new GetCommand({ TableName: this.table(), Key: webhookKey(webhookId), ConsistentRead: true }));
    return found.Item?.webhook as Webhook | undefined;
  }

  async remove(webhookId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table(), Key: webhookKey(webhookId) }));
  }
}
