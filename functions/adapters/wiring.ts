/**
 * Builds the ports over the AWS SDK clients, once per Lambda container. Endpoints come from
 * the SDK's standard settings (AWS_ENDPOINT_URL_<SERVICE>), so the sandbox needs no code
 * path of its own.
 */
import { randomUUID } from "node:crypto";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { S3Client } from "@aws-sdk/client-s3";
import type { ClaimStore, EventBus, EventStore, ReadMarkStore, ViewStore } from "../ports";
import { setting } from "./config";
import { DynamoClaimStore } from "./dynamoClaimStore";
import { DynamoReadMarkStore } from "./dynamoReadMarkStore";
import { documentClient, DynamoEventStore } from "./dynamoEventStore";
import { EventBridgeBus } from "./eventBridgeBus";
import { S3ViewStore } from "./s3ViewStore";

export interface Adapters {
  store: EventStore;
  claims: ClaimStore;
  readMarks: ReadMarkStore;
  views: ViewStore;
  bus: EventBus;
  now: () => Date;
  newId: () => string;
}

let adapters: Adapters | undefined;
let builtFor = "";

/**
 * The SDK reads endpoints when a client is built; a Lambda container's environment never
 * changes, but a test process may start several sandboxes, so clients follow the endpoints.
 */
const endpoints = () =>
  [process.env.AWS_ENDPOINT_URL_DYNAMODB, process.env.AWS_ENDPOINT_URL_S3, process.env.AWS_ENDPOINT_URL_EVENTBRIDGE].join("|");

export function awsAdapters(): Adapters {
  if (adapters && builtFor === endpoints()) return adapters;
  builtFor = endpoints();
  const db = documentClient();
  const table = () => setting("EVENTS_TABLE");
  adapters = {
    store: new DynamoEventStore(db, table),
    claims: new DynamoClaimStore(db, table),
    readMarks: new DynamoReadMarkStore(db, table),
    views: new S3ViewStore(new S3Client({}), () => setting("VIEWS_BUCKET")),
    bus: new EventBridgeBus(new EventBridgeClient({}), () => setting("EVENT_BUS_NAME")),
    now: () => new Date(),
    newId: randomUUID,
  };
  return adapters;
}
