/** WebSocket `$disconnect`: forgets the connection, under its user and in every channel it was entered in. */
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { realtimeAdapters } from "../adapters/realtimeWiring";

type DisconnectEvent = APIGatewayProxyWebsocketEventV2 & { requestContext: { authorizer?: { userId?: string } } };

export async function handler(event: DisconnectEvent): Promise<APIGatewayProxyResultV2> {
  const userId = event.requestContext.authorizer?.userId;
  if (userId) await realtimeAdapters().connections.remove({ connectionId: event.requestContext.connectionId, userId });
  return { statusCode: 200 };
}
