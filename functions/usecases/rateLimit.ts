/**
 * The per-user rate limit of POST /events: a token bucket per user that holds `burst`
 * tokens and gains `perSecond` a second; a request takes one, and is refused (429) when
 * none is left, with the seconds until one is back.
 *
 * Where it lives, and why that is enough: in memory, per Lambda container, with no AWS
 * call per request. A container serves one request at a time, so one user's requests
 * spread over the containers Lambda runs; each container lets the user through at most
 * burst + rate, so N warm containers could let a determined user through N times that.
 * What bounds the total is API Gateway's stage throttling (`apiThrottleBurst` /
 * `apiThrottleRate`, all callers together) and the store function's concurrency. A shared
 * counter (DynamoDB `UpdateItem ADD` per request) would make the limit exact across
 * containers at the cost of a write per request, on the table that holds the events; not
 * worth it for an abuse limit whose job is to keep one client from flooding a channel.
 * The contract's promise is the other direction, and that one holds exactly: a burst of 60
 * and 20/s sustained from one user are never refused (a fresh container starts full).
 */

export interface RateLimitPolicy {
  /** Tokens a bucket holds: the longest burst let through at once. */
  burst: number;
  /** Tokens gained per second: the sustained rate let through. */
  perSecond: number;
  /** Buckets kept before the least recently used are forgotten (a forgotten bucket is full again). */
  maxKeys?: number;
}

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/** The contract's limit for POST /events, per user. */
export const storeRateLimit: RateLimitPolicy = { burst: 60, perSecond: 20, maxKeys: 10_000 };
/** GET /search, per user: a query reads every channel the caller may read, so it is limited as writes are. */
export const searchRateLimit: RateLimitPolicy = { ...storeRateLimit };

interface Bucket {
  tokens: number;
  /** When `tokens` was computed (ms, per the clock). */
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  /** `clock` gives milliseconds; tests replace it (it is a field so a loaded handler's limiter can be driven too). */
  constructor(
    readonly policy: RateLimitPolicy,
    public clock: () => number = Date.now,
  ) {
    if (!(policy.burst >= 1 && policy.perSecond > 0)) throw new RangeError("a rate limit needs burst ≥ 1 and perSecond > 0");
  }

  /** Takes a token for `key`, or says how long until one is there. */
  take(key: string): RateDecision {
    const now = this.clock();
    const { burst, perSecond } = this.policy;
    const previous = this.buckets.get(key);
    // A clock that steps back never takes tokens away; one that jumps ahead fills the bucket.
    const elapsedMs = previous ? Math.max(0, now - previous.at) : 0;
    const tokens = previous ? Math.min(burst, previous.tokens + (elapsedMs / 1000) * perSecond) : burst;
    this.buckets.delete(key); // re-inserted below: the map's order is least recently used first
    // A hair of tolerance, so that float rounding never refuses a request arriving exactly on time.
    if (tokens >= 1 - 1e-9) {
      this.remember(key, { tokens: Math.max(0, tokens - 1), at: now });
      return { allowed: true, remaining: Math.max(0, Math.floor(tokens - 1 + 1e-9)) };
    }
    this.remember(key, { tokens, at: now });
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perSecond)) };
  }

  /** Users with a bucket now (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  /** Forgets every bucket (tests). */
  reset(): void {
    this.buckets.clear();
  }

  private remember(key: string, bucket: Bucket): void {
    this.buckets.set(key, bucket);
    const max = this.policy.maxKeys ?? Infinity;
    for (const oldest of this.buckets.keys()) {
      if (this.buckets.size <= max) break;
      this.buckets.delete(oldest);
    }
  }
}
