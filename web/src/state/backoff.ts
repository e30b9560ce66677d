/**
 * Exponential backoff with jitter: attempt 0 waits about `baseMs`, each next attempt twice
 * as long, never more than `maxMs`. The jitter (50–100 % of the step) keeps a crowd of
 * clients that lost the same server from coming back in lockstep.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const reconnectPolicy: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };
export const catchUpPolicy: BackoffPolicy = { baseMs: 300, maxMs: 5_000 };

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step * (0.5 + random() / 2));
}
