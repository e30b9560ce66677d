/**
 * Exponential backoff with jitter: attempt 0 waits about `baseMs`, each next attempt twice
 * as long, never more than `maxMs`. The jitter (50–100 % of the step) keeps a crowd of
 * clients that lost the same server from coming back in lockstep.
 *
 * While the page is visible someone is looking at it, so no wait is longer than a few
 * seconds: after an outage the chat comes back within moments of the server. A hidden page
 * waits longer between tries, and tries at once when it is shown again (or the browser goes
 * online), so it loses nothing by it.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const reconnectPolicy: BackoffPolicy = { baseMs: 500, maxMs: 4000 };
export const hiddenReconnectPolicy: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };
export const catchUpPolicy: BackoffPolicy = { baseMs: 300, maxMs: 4000 };
/** Our writes that got no answer (or a 5xx, a 429) are sent again until they are answered. */
export const writeRetryPolicy: BackoffPolicy = { baseMs: 400, maxMs: 4000 };
export const hiddenWriteRetryPolicy: BackoffPolicy = { baseMs: 400, maxMs: 30_000 };

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step * (0.5 + random() / 2));
}
