/**
 * Tokens for testing the front door's authorizer: signed with cognito-local's own key
 * (it ships in the package), so only the claim under test is wrong; or with a stranger's key.
 */
import { generateKeyPair, importJWK, SignJWT, type JWTPayload } from "jose";
import privateKey from "cognito-local/lib/keys/cognitoLocal.private.json";

export interface TokenOptions {
  issuer: string;
  audience: string;
  /** Seconds from now; negative for a token already expired. Default 3600. */
  expiresIn?: number;
  claims?: JWTPayload;
}

export async function cognitoLocalToken(options: TokenOptions): Promise<string> {
  return sign(await importJWK(privateKey.jwk, "RS256"), options);
}

/** Same header and claims, but not signed by a key of the pool. */
export async function strangerToken(options: TokenOptions): Promise<string> {
  return sign((await generateKeyPair("RS256")).privateKey, options);
}

async function sign(key: Parameters<SignJWT["sign"]>[0], options: TokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ token_use: "id", sub: "user-under-test", email: "test@example.com", ...options.claims })
    .setProtectedHeader({ alg: "RS256", kid: "CognitoLocal" })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (options.expiresIn ?? 3600))
    .sign(key);
}
