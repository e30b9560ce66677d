/** The realtime functions' ports: the connection table (connections, presence, memberships) and API Gateway's @connections API. */
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import type { ConnectionStore, MembershipStore, Pusher } from "../ports";
import { setting } from "./config";
import { ApiGatewayPusher } from "./apiGatewayPusher";
import { DynamoConnectionStore } from "./dynamoConnectionStore";
import { documentClient } from "./dynamoEventStore";
import { DynamoMembershipStore } from "./dynamoMembershipStore";

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
