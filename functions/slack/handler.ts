/**
 * `{apiUrl}/slack/{method}`: the Slack Web API subset (CONTRACT §13), an adapter of the
 * HTTP surface: writes go through appendEvent as POST /events does, reads through the
 * views' authorization. In order: the method (`unknown_method`), the caller
 * (`not_authed`/`invalid_auth`), the caller's rate (`ratelimited`, 429 with Retry-After),
 * the arguments, then the method. Every other answer is HTTP 200 in Slack's envelope.
 *
 * The caller is whoever the route's authorizer says: a Lambda authorizer's
 * `{ userId }` (bot tokens), or a Cognito JWT's `sub` (a user's IdToken). A request that
 * reached here with neither was let through unauthenticated so that it gets Slack's answer:
 * `not_authed` without an Authorization header, `invalid_auth` with one.
 */
import type { APIGatewayEventRequestContextV2, APIGatewayProxyEventV2WithRequestContext, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { awsAdapters } from "../adapters/wiring";
import { logger } from "../http/logger";
import { ensureRegistered } from "../usecases/ensureRegistered";
import { storeRateLimit, TokenBuckets } from "../usecases/rateLimit";
import { fail, httpOf } from "./answer";
import { parseArgs } from "./args";
import { methodNamed } from "./methods";

type Authorizer = { jwt?: { claims?: Record<string, unknown> }; lambda?: Record<string, unknown> };
export type SlackRequest = APIGatewayProxyEventV2WithRequestContext<APIGatewayEventRequestContextV2 & { authorizer?: Authorizer }>;

/** POST /events' limit, per user, in this container's memory (rateLimit.ts says why that is enough). Exported so tests can drive its clock. */
export const rateLimiter = new TokenBuckets(storeRateLimit);

export async function handler(event: SlackRequest): Promise<APIGatewayProxyStructuredResultV2> {
  const method = methodNamed(event.pathParameters?.method ?? "");
  if (!method) return httpOf(fail("unknown_method"));
  const authorizer = event.requestContext?.authorizer ?? {};
  const claims = authorizer.jwt?.claims ?? {};
  const userId = [authorizer.lambda?.userId, claims.sub].find((id): id is string => typeof id === "string" && id !== "");
  if (!userId) return httpOf(fail(hasAuthorization(event.headers) ? "invalid_auth" : "not_authed"));
  const rate = rateLimiter.take(userId);
  if (!rate.allowed) return httpOf(fail("ratelimited", rate.retryAfterSeconds));
  const parsed = parseArgs(event);
  if (!parsed.ok) return httpOf(fail(parsed.error));
  try {
    const deps = awsAdapters();
    await ensureRegistered(userId, claims.name, deps);
    const key = idempotencyKeyOf(event.headers);
    if (key === "invalid") return httpOf(fail("invalid_arguments"));
    return httpOf(await method({ userId, args: parsed.args, deps, domainName: event.requestContext?.domainName ?? "", ...(key ? { idempotencyKey: key } : {}) }));
  } catch (error) {
    if (error instanceof Error) logger.error("Slack method failed", error);
    else logger.error("Slack method failed", { error: String(error) });
    return httpOf(fail("internal_error"));
  }
}

const hasAuthorization = (headers: Record<string, string | undefined> | undefined) =>
  Object.entries(headers ?? {}).some(([name, value]) => name.toLowerCase() === "authorization" && (value ?? "").trim() !== "");

/** An `Idempotency-Key` header as POST /events takes it (1–128 visible ASCII characters). */
function idempotencyKeyOf(headers: Record<string, string | undefined> | undefined): string | undefined | "invalid" {
  const key = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === "idempotency-key")?.[1];
  if (key === undefined) return undefined;
  return /^[\x21-\x7e]{1,128}$/.test(key) ? key : "invalid";
}
