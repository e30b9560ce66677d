/**
 * Cognito ID tokens, verified as API Gateway's JWT authorizer would: signed by a key of the
 * pool's JWKS, from the pool (issuer), for its web client (audience), not expired, an ID
 * token. The issuer follows the SDK's standard Cognito endpoint setting, so the sandbox's
 * pool is checked the same way. The token itself is never logged, nor put in an error.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import { setting } from "./config";

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

/** The token's claims, or undefined for a bad token; throws only when the keys cannot be had. */
export async function verifyIdToken(token: string): Promise<(JWTPayload & { sub: string }) | undefined> {
  const { issuer, jwks } = issuerKeys();
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer, audience: setting("USER_POOL_CLIENT_ID") });
    return payload.token_use === "id" && typeof payload.sub === "string" ? (payload as JWTPayload & { sub: string }) : undefined;
  } catch (error) {
    if (isBadToken(error)) return undefined;
    throw error;
  }
}
