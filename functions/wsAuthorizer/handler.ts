/**
 * The `$connect` authorizer: verifies the Cognito ID token in the `token` query parameter
 * (signature by the pool's JWKS, issuer, audience, expiry, token use). The issuer follows
 * the SDK's standard Cognito endpoint setting, so the sandbox's pool is checked the same way.
 *
 * A bad token (missing, forged, expired, for another client, not an ID token) is answered
 * with an explicit Deny policy, which API Gateway turns into a refusal (403), rather than
 * by throwing "Unauthorized" (401): a thrown error counts in the function's `Errors`,
 * whose alarm must mean that this function failed, not that a stale tab reconnected.
 * What stops it from checking at all (the pool's keys unreachable) still throws.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import { setting } from "../adapters/config";

let keys: { issuer: string; jwks: ReturnType<typeof createRemoteJWKSet> } | undefined;

function issuerKeys() {
  const base = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? `https://cognito-idp.${process.env.AWS_REGION}.amazonaws.com`;
  const issuer = `${base.replace(/\/+$/, "")}/${setting("USER_POOL_ID")}`;
  if (keys?.issuer !== issuer) keys = { issuer, jwks: createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)) };
  return keys;
}

/** What jose says of a token that is not good (as opposed to keys it could not get). */
const badTokenCodes = new Set([
  errors.JWTExpired.code,
  errors.JWTClaimValidationFailed.code,
  errors.JWTInvalid.code,
  errors.JWSInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JWKSNoMatchingKey.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
]);
const isBadToken = (error: unknown) => error instanceof errors.JOSEError && badTokenCodes.has(error.code);

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = event.queryStringParameters?.token;
  if (!token) return policy("anonymous", "Deny", event.methodArn);
  const { issuer, jwks } = issuerKeys();
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer, audience: setting("USER_POOL_CLIENT_ID") });
    if (payload.token_use !== "id" || typeof payload.sub !== "string") return policy("anonymous", "Deny", event.methodArn);
    return { ...policy(payload.sub, "Allow", event.methodArn), context: { userId: payload.sub } };
  } catch (error) {
    // The token itself is never logged, nor put in an error.
    if (isBadToken(error)) return policy("anonymous", "Deny", event.methodArn);
    throw error;
  }
}

function policy(principalId: string, effect: "Allow" | "Deny", resource: string): APIGatewayAuthorizerResult {
  return { principalId, policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] } };
}
