/** Reads a JWT's claims (no verification: the API verifies; the app only needs who and until when). */
export interface IdClaims {
  sub: string;
  email?: string;
  name?: string;
  /** Seconds since the epoch. */
  exp: number;
}

export function claimsOf(token: string): IdClaims {
  const part = token.split(".")[1];
  if (!part) throw new Error("not a JWT");
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes)) as Partial<IdClaims>;
  if (typeof claims.sub !== "string" || typeof claims.exp !== "number") throw new Error("the token has no sub or exp");
  return claims as IdClaims;
}
