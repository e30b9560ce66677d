/**
 * The app ports (CONTRACT §13) over the event table, once per container and endpoint, as
 * wiring.ts builds the event-sourced core's. The bot authorizer builds its one store alone.
 */
import { randomBytes } from "node:crypto";
import type { AppStore, BotTokenStore, WebhookStore } from "../ports";
import { setting } from "./config";
import { DynamoAppStore } from "./dynamoAppStore";
import { DynamoBotTokenStore } from "./dynamoBotTokenStore";
import { documentClient } from "./dynamoEventStore";
import { DynamoWebhookStore } from "./dynamoWebhookStore";

export interface AppAdapters {
  apps: AppStore;
  tokens: BotTokenStore;
  webhooks: WebhookStore;
  /** 32 random bytes, base64url: a token's or a webhook URL's secret part. */
  newSecret: () => string;
}

let built: { key: string; adapters: AppAdapters } | undefined;

export function appAdapters(): AppAdapters {
  const key = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? "";
  if (built?.key === key) return built.adapters;
  const db = documentClient();
  const table = () => setting("EVENTS_TABLE");
  built = {
    key,
    adapters: {
      apps: new DynamoAppStore(db, table),
      tokens: new DynamoBotTokenStore(db, table),
      webhooks: new DynamoWebhookStore(db, table),
      newSecret: () => randomBytes(32).toString("base64url"),
    },
  };
  return built.adapters;
}
