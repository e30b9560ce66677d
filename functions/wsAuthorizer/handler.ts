/**
 * The `$connect` authorizer: verifies the Cognito ID token in the `token` query parameter
 * (signature by the pool's JWKS, issuer, audience, expiry, token use). The issuer follows
 * the SDK's standard Cognito endpoint setting, so the sandbox's pool is checked the same way.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { setting } from "../adapters/config";

let keys: { issuer: string; jwks: ReturnType<typeof createRemoteJWKSet> } | undefined;

function issuerKeys() {
  const base = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? `https://cognito-idp.${process.env.AWS_REGION}.amazonaws.com`;
  const issuer = `${base.replace(/\/+$/, "")}/${setting("USER_POOL_ID")}`;
  if (keys?.issuer !== issuer) keys = { issuer, jwks: createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)) };
  return keys;
}

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = event.queryStringParameters?.token;
  if (!token) throw new Error("Unauthorized");
  const { issuer, jwks } = issuerKeys();
  let sub: string;
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer, audience: setting("USER_POOL_CLIENT_ID") });
    if (payload.token_use !== "id" || typeof payload.sub !== "string") throw new Error("not an ID token");
    sub = payload.sub;
  } catch {
    // API Gateway answers 401 for exactly this message; the token itself is never logged.
    throw new Error("Unauthorized");
  }
  return {
    principalId: sub,
    policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }] },
    context: { userId: sub },
  };
}
