/** WebSocket `$connect` (after the authorizer let it in): remembers the connection under its user and in the user's channels. */
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { connectViews, realtimeAdapters } from "../adapters/realtimeWiring";
import { openConnection } from "../usecases/openConnection";

/** API Gateway closes a WebSocket after two hours at the most. */
const maxConnectionSeconds = 2 * 3600;

type ConnectEvent = APIGatewayProxyWebsocketEventV2 & { requestContext: { authorizer?: { userId?: string } } };

export async function handler(event: ConnectEvent): Promise<APIGatewayProxyResultV2> {
  const userId = event.requestContext.authorizer?.userId;
  if (!userId) return { statusCode: 401 };
  const expiresAt = Math.floor(Date.now() / 1000) + maxConnectionSeconds;
  const { connections, memberships } = realtimeAdapters();
  await openConnection({ connectionId: event.requestContext.connectionId, userId }, expiresAt, { connections, memberships, views: connectViews() });
  return { statusCode: 200 };
}
