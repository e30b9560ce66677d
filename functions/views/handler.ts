/** GET /views/{proxy+}: a view from the private bucket, if the caller may see it. */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { awsAdapters } from "../adapters/wiring";
import { errorResponse, internalError, json, unauthorized } from "../http/responses";
import { ensureRegistered } from "../usecases/ensureRegistered";
import { readView } from "../usecases/readView";

export async function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2> {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const userId = typeof claims.sub === "string" ? claims.sub : undefined;
  if (!userId) return unauthorized();
  try {
    const deps = awsAdapters();
    await ensureRegistered(userId, claims.name, deps);
    const result = await readView(event.pathParameters?.proxy ?? "", userId, deps.views, deps.readMarks);
    return result.kind === "view" ? json(200, result.body) : errorResponse(result.refusal);
  } catch (error) {
    return internalError(error);
  }
}
