/**
 * The realtime functions' ports: the connection table (connections, presence, memberships),
 * API Gateway's @connections API, and for `$connect` the views bucket (it reads the user's
 * view), without the rest of the event-sourced core it has no business with.
 */
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { S3Client } from "@aws-sdk/client-s3";
import type { ConnectionStore, MembershipStore, Pusher, ViewStore } from "../ports";
import { setting } from "./config";
import { ApiGatewayPusher } from "./apiGatewayPusher";
import { DynamoConnectionStore } from "./dynamoConnectionStore";
import { documentClient } from "./dynamoEventStore";
import { DynamoMembershipStore } from "./dynamoMembershipStore";
import { S3ViewStore } from "./s3ViewStore";

export interface RealtimeAdapters {
  connections: ConnectionStore;
  memberships: MembershipStore;
  pusher: Pusher;
}

let built: { key: string; adapters: RealtimeAdapters } | undefined;

export function realtimeAdapters(): RealtimeAdapters {
  const key = [process.env.AWS_ENDPOINT_URL_DYNAMODB, process.env.WS_ENDPOINT].join("|");
  if (built?.key === key) return built.adapters;
  const db = documentClient();
  const table = () => setting("CONNECTIONS_TABLE");
  built = {
    key,
    adapters: {
      connections: new DynamoConnectionStore(db, table),
      memberships: new DynamoMembershipStore(db, table),
      // The endpoint is the WebSocket API's own stage URL, on AWS as in the sandbox.
      pusher: new ApiGatewayPusher(new ApiGatewayManagementApiClient({ endpoint: setting("WS_ENDPOINT") })),
    },
  };
  return built.adapters;
}

let views: { key: string; store: ViewStore } | undefined;

/** The views bucket, for `$connect`'s read of the user's own view. */
export function connectViews(): ViewStore {
  const key = process.env.AWS_ENDPOINT_URL_S3 ?? "";
  if (views?.key !== key) views = { key, store: new S3ViewStore(new S3Client({}), () => setting("VIEWS_BUCKET")) };
  return views.store;
}
