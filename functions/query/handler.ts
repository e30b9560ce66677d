/** GET /search?q=…&cursor=…: the messages the caller may read that answer the query (CONTRACT §12). */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { awsAdapters } from "../adapters/wiring";
import { callerOf, rateLimited } from "../http/rateLimited";
import { errorResponse, internalError, json, unauthorized } from "../http/responses";
import { searchRateLimit, TokenBuckets } from "../usecases/rateLimit";
import { search } from "../usecases/search";

/** Per user, in this container (rateLimit.ts); exported so tests can drive its clock. */
export const rateLimiter = new TokenBuckets(searchRateLimit);

export async function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2> {
  const { userId } = callerOf(event);
  if (!userId) return unauthorized();
  const limited = rateLimited(rateLimiter, userId, "searches");
  if (limited) return limited;
  const params = event.queryStringParameters ?? {};
  try {
    const { views, store } = awsAdapters();
    const answer = await search(userId, params.q ?? "", params.cursor, { views, store });
    return answer.kind === "results" ? json(200, answer.body) : errorResponse(answer.refusal);
  } catch (error) {
    return internalError(error);
  }
}
