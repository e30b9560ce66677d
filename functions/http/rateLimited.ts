/** The caller's user id from the JWT claims, and the 429 a user over their rate gets. */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { TokenBuckets } from "../usecases/rateLimit";
import { errorResponse } from "./responses";

export function callerOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): { userId?: string; name?: unknown } {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  return { ...(typeof claims.sub === "string" ? { userId: claims.sub } : {}), name: claims.name };
}

/** Takes a token from the user's bucket; the answer to give when there was none. */
export function rateLimited(limiter: TokenBuckets, userId: string, what: string): APIGatewayProxyStructuredResultV2 | undefined {
  const rate = limiter.take(userId);
  if (rate.allowed) return undefined;
  const { burst, perSecond } = limiter.policy;
  return errorResponse({
    status: 429,
    code: "rate_limited",
    message: `Too many ${what}: up to ${perSecond} per second (bursts of ${burst}) per user; retry in ${rate.retryAfterSeconds} s.`,
    details: { retryAfterSeconds: rate.retryAfterSeconds, burst, perSecond },
    retryAfterSeconds: rate.retryAfterSeconds,
  });
}
