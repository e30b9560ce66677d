/**
 * API Gateway's Lambda REQUEST authorizer for HTTP APIs, payload format 2.0 with simple
 * responses: the authorizer function gets the request's envelope (headers, query, path,
 * context; no body), and answers `{isAuthorized, context}`. Allowed, the route's function
 * gets `context` as `requestContext.authorizer.lambda`; refused, the caller gets 403
 * `{"message":"Forbidden"}`; failed, 500 `{"message":"Internal Server Error"}`, as API
 * Gateway answers. Like the authorizer deployed (no identity sources, so no caching), it
 * runs for every request.
 */
import type { IncomingMessage } from "node:http";
import type { APIGatewayRequestAuthorizerEventV2 } from "aws-lambda";
import type { FunctionName } from "../../functions/handlers";
import { httpApiEvent } from "./apiGatewayEvent";
import { resources } from "./context";
import type { RequestAuthorizer } from "./handlers";
import { invokeLambda } from "./lambdaRuntime";

export type LambdaAuthorization = { ok: true; context: Record<string, unknown> } | { ok: false; status: 403 | 500; message: string };

export async function lambdaAuthorize(
  func: FunctionName,
  handler: RequestAuthorizer,
  request: { req: IncomingMessage; routeKey: string; pathParameters?: Record<string, string>; requestId: string },
): Promise<LambdaAuthorization> {
  const { body: _body, isBase64Encoded: _encoded, ...envelope } = httpApiEvent({ ...request, body: Buffer.alloc(0) });
  const [method, path] = request.routeKey.split(" ") as [string, string];
  const event = {
    ...envelope,
    cookies: envelope.cookies ?? [],
    type: "REQUEST",
    routeArn: `arn:aws:execute-api:${resources.region}:${resources.account}:sandbox/$default/${method}${path}`,
    identitySource: [],
  } as APIGatewayRequestAuthorizerEventV2;
  try {
    const answer = await invokeLambda(func, handler, event);
    if (answer?.isAuthorized !== true) return { ok: false, status: 403, message: "Forbidden" };
    return { ok: true, context: answer.context ?? {} };
  } catch {
    return { ok: false, status: 500, message: "Internal Server Error" };
  }
}
