/**
 * POST /events and PUT /read-marks/{channelId}, the writes: an API Gateway HTTP API (v2)
 * event in, a proxy result out. In order: the caller (401), the caller's rate (429), the
 * request (413, 415, 400), then the use case.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { awsAdapters } from "../adapters/wiring";
import { channelStream, type EventInput } from "../domain/events";
import type { Accepted } from "../ports";
import { parseEventRequest } from "../http/parseEventRequest";
import { parseReadMarkRequest } from "../http/parseReadMarkRequest";
import { callerOf, rateLimited } from "../http/rateLimited";
import { errorResponse, internalError, json, unauthorized } from "../http/responses";
import { appendEvent } from "../usecases/appendEvent";
import { ensureRegistered } from "../usecases/ensureRegistered";
import { setReadMark } from "../usecases/setReadMark";
import { storeRateLimit, TokenBuckets } from "../usecases/rateLimit";

/**
 * One bucket per user, in this container's memory (see rateLimit.ts for why that is
 * enough, and what bounds the total across containers). Exported so tests can drive its clock.
 */
export const rateLimiter = new TokenBuckets(storeRateLimit);

export async function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2> {
  const { userId, name } = callerOf(event);
  if (!userId) return unauthorized();
  const limited = rateLimited(rateLimiter, userId, "requests");
  if (limited) return limited;
  if (event.requestContext?.http?.method === "PUT") return readMark(event, userId, name);
  const request = parseEventRequest(event);
  if (!request.ok) return errorResponse(request.error);
  try {
    const deps = awsAdapters();
    await ensureRegistered(userId, name, deps);
    const result = await appendEvent({ input: request.input, userId, idempotencyKey: request.idempotencyKey }, deps);
    switch (result.kind) {
      case "accepted":
        return json(202, answerOf(request.input, result.accepted));
      case "refused":
        return errorResponse(result.refusal);
      case "busy":
        return errorResponse(
          result.reason === "in_progress"
            ? { status: 409, code: "request_in_progress", message: "The same request is still being processed; retry shortly.", retryAfterSeconds: result.retryAfterSeconds }
            : { status: 503, code: "busy", message: "The channel is very busy; retry shortly.", retryAfterSeconds: result.retryAfterSeconds },
        );
    }
  } catch (error) {
    return internalError(error);
  }
}

/** A DM's answer names its channel too (CONTRACT §11): the client learns where the member set led. */
function answerOf(input: EventInput, accepted: Accepted): Accepted & { channelId?: string } {
  return input.type === "dm_opened" ? { ...accepted, channelId: accepted.stream.slice(channelStream("").length) } : accepted;
}

async function readMark(event: APIGatewayProxyEventV2WithJWTAuthorizer, userId: string, name: unknown): Promise<APIGatewayProxyStructuredResultV2> {
  const request = parseReadMarkRequest(event);
  if (!request.ok) return errorResponse(request.error);
  try {
    const deps = awsAdapters();
    await ensureRegistered(userId, name, deps);
    const result = await setReadMark(userId, request.channelId, request.seq, deps);
    return result === "ok" ? { statusCode: 204, headers: { "cache-control": "no-store" } } : errorResponse(result);
  } catch (error) {
    return internalError(error);
  }
}
