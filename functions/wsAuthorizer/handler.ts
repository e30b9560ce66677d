/**
 * The `$connect` authorizer: verifies the Cognito ID token in the `token` query parameter
 * (adapters/cognitoIdTokens.ts: signature by the pool's JWKS, issuer, audience, expiry,
 * token use).
 *
 * A bad token (missing, forged, expired, for another client, not an ID token) is answered
 * with an explicit Deny policy, which API Gateway turns into a refusal (403), rather than
 * by throwing "Unauthorized" (401): a thrown error counts in the function's `Errors`,
 * whose alarm must mean that this function failed, not that a stale tab reconnected.
 * What stops it from checking at all (the pool's keys unreachable) still throws.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { verifyIdToken } from "../adapters/cognitoIdTokens";

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = event.queryStringParameters?.token;
  const claims = token ? await verifyIdToken(token) : undefined;
  if (!claims) return policy("anonymous", "Deny", event.methodArn);
  return { ...policy(claims.sub, "Allow", event.methodArn), context: { userId: claims.sub } };
}

function policy(principalId: string, effect: "Allow" | "Deny", resource: string): APIGatewayAuthorizerResult {
  return { principalId, policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] } };
}
