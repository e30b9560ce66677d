/**
 * POST /apps, GET /apps, DELETE /apps/{appId}, POST /apps/{appId}/webhooks (CONTRACT §13),
 * for a signed-in person (the JWT routes). In order: the caller (401), the caller's rate
 * (429, the store's limit, in a bucket of this function's), the request (413, 415, 400),
 * then the use case.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { appAdapters } from "../adapters/appWiring";
import { awsAdapters } from "../adapters/wiring";
import { CreateAppInput, CreateWebhookInput } from "../domain/app/app";
import { isRefusal } from "../domain/refusal";
import { parseAppBody, webhookUrl } from "../http/parseAppRequest";
import { errorResponse, internalError, json, unauthorized } from "../http/responses";
import { type AppDeps, createApp, createWebhook, listApps, revokeApp } from "../usecases/apps";
import { ensureRegistered } from "../usecases/ensureRegistered";
import { storeRateLimit, TokenBuckets } from "../usecases/rateLimit";

export const rateLimiter = new TokenBuckets(storeRateLimit);

const noSuchApp = errorResponse({ status: 404, code: "app_not_found", message: "No such app." });
const isId = (id: string | undefined): id is string => id !== undefined && /^[0-9a-f-]{36}$/i.test(id);

export async function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2> {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const userId = typeof claims.sub === "string" ? claims.sub : undefined;
  if (!userId) return unauthorized();
  const rate = rateLimiter.take(userId);
  if (!rate.allowed) {
    return errorResponse({ status: 429, code: "rate_limited", message: `Too many requests; retry in ${rate.retryAfterSeconds} s.`, retryAfterSeconds: rate.retryAfterSeconds });
  }
  const method = event.requestContext.http.method;
  const appId = event.pathParameters?.appId;
  if (appId !== undefined && !isId(appId)) return noSuchApp;
  try {
    const deps: AppDeps = { ...awsAdapters(), ...appAdapters() };
    await ensureRegistered(userId, claims.name, deps);
    if (method === "GET") return json(200, { apps: await listApps(userId, deps) });
    if (method === "DELETE" && appId) {
      const revoked = await revokeApp(userId, appId.toLowerCase(), deps);
      return revoked === "revoked" ? { statusCode: 204, headers: { "cache-control": "no-store" } } : errorResponse(revoked);
    }
    if (method === "POST" && appId) {
      const request = parseAppBody(event, CreateWebhookInput, "webhook");
      if (!request.ok) return errorResponse(request.error);
      const created = await createWebhook(userId, appId.toLowerCase(), request.input.channelId, deps);
      if (isRefusal(created)) return errorResponse(created);
      return json(201, { webhookId: created.webhookId, channelId: request.input.channelId, url: webhookUrl(event, created.webhookId, created.secret) });
    }
    const request = parseAppBody(event, CreateAppInput, "app");
    if (!request.ok) return errorResponse(request.error);
    const created = await createApp(userId, request.input, deps);
    return isRefusal(created) ? errorResponse(created) : json(201, created);
  } catch (error) {
    return internalError(error);
  }
}
