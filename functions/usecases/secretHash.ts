/** SHA-256 (hex) of a secret: all that is stored of a bot's token or a webhook URL's secret. */
import { createHash, timingSafeEqual } from "node:crypto";

export const secretHash = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("hex");

/** Whether `secret` hashes to `hash`, in time that does not depend on where they differ. */
export function matchesHash(secret: string, hash: string): boolean {
  const mine = Buffer.from(secretHash(secret), "hex");
  const theirs = Buffer.from(hash, "hex");
  return mine.length === theirs.length && timingSafeEqual(mine, theirs);
}

/** Bots' tokens start so, as Slack's do, which tells them from a Cognito ID token. */
export const botTokenPrefix = "xoxb-";
