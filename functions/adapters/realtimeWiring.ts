/** The realtime functions' ports: the connection table and API Gateway's @connections API. */
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import type { ConnectionStore, Pusher } from "../ports";
import { setting } from "./config";
import { ApiGatewayPusher } from "./apiGatewayPusher";
import { DynamoConnectionStore } from "./dynamoConnectionStore";
import { documentClient } from "./dynamoEventStore";

let built: { key: string; connections: ConnectionStore; pusher: Pusher } | undefined;

export function realtimeAdapters(): { connections: ConnectionStore; pusher: Pusher } {
  const key = [process.env.AWS_ENDPOINT_URL_DYNAMODB, process.env.WS_ENDPOINT].join("|");
  if (built?.key === key) return built;
  built = {
    key,
    connections: new DynamoConnectionStore(documentClient(), () => setting("CONNECTIONS_TABLE")),
    // The endpoint is the WebSocket API's own stage URL, on AWS as in the sandbox.
    pusher: new ApiGatewayPusher(new ApiGatewayManagementApiClient({ endpoint: setting("WS_ENDPOINT") })),
  };
  return built;
}
