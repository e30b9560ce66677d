/**
 * API Gateway's JWT authorizer: the token from `Authorization` (with or without `Bearer `)
 * must be signed by a key of the issuer's JWKS, come from the issuer, be meant for the
 * audience (`aud`, or `client_id` for access tokens), and not be expired. The reason of a
 * refusal names the check that failed, never the token.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";

export interface JwtAuthorizerConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

export type Authorization = { ok: true; claims: JWTPayload } | { ok: false; reason: string };

export function jwtAuthorizer(config: JwtAuthorizerConfig): (header: string | undefined) => Promise<Authorization> {
  const keys = createRemoteJWKSet(new URL(config.jwksUrl));
  return async (header) => {
    const token = header?.replace(/^Bearer\s+/i, "").trim();
    if (!token) return { ok: false, reason: "missing bearer token" };
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        algorithms: ["RS256"],
        requiredClaims: ["exp"],
      });
      const audiences = typeof payload.aud === "string" ? [payload.aud] : (payload.aud ?? []);
      if (!audiences.includes(config.audience) && payload.client_id !== config.audience) {
        return { ok: false, reason: "the token does not have a valid audience" };
      }
      return { ok: true, claims: payload };
    } catch (error) {
      return { ok: false, reason: refusalReason(error) };
    }
  };
}

function refusalReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not valid`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature is not valid";
  if (error instanceof errors.JWKSNoMatchingKey) return "the token is not signed by a key of the issuer";
  if (error instanceof errors.JOSEError) return "the token is not a valid JWT";
  return "the token could not be verified";
}
