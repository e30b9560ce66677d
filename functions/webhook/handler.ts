/**
 * POST /hooks/{webhookId}/{secret}: an incoming webhook (CONTRACT §13). No authorizer: the
 * URL's secret is the credential, matched against its hash. Answers as Slack does, in plain
 * text: `200 ok`; `404 no_service` for a webhook unknown or revoked (a wrong secret too);
 * `429` with Retry-After past the store's rate (per bot); `400 invalid_payload`/`no_text`.
 * Neither the URL's secret nor the payload is logged.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { appAdapters } from "../adapters/appWiring";
import { awsAdapters } from "../adapters/wiring";
import { isRefusal } from "../domain/refusal";
import { parseWebhookBody } from "../http/parseWebhookBody";
import { internalError } from "../http/responses";
import { findWebhook, noService, postWebhook } from "../usecases/postWebhook";
import { storeRateLimit, TokenBuckets } from "../usecases/rateLimit";

/** One bucket per bot, as the store keeps one per user. Exported so tests can drive its clock. */
export const rateLimiter = new TokenBuckets(storeRateLimit);

const text = (statusCode: number, body: string, retryAfterSeconds?: number): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...(retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) }) },
  body,
});

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const { webhookId = "", secret = "" } = event.pathParameters ?? {};
  try {
    const deps = { ...awsAdapters(), ...appAdapters() };
    const hook = await findWebhook(webhookId.toLowerCase(), secret, deps);
    if (!hook) return text(noService.status, noService.code);
    const rate = rateLimiter.take(hook.botUserId);
    if (!rate.allowed) return text(429, "rate_limited", rate.retryAfterSeconds);
    const payload = parseWebhookBody(event);
    if (isRefusal(payload)) return text(payload.status, payload.code);
    const posted = await postWebhook(hook, payload, deps);
    if (posted === "posted") return text(200, "ok");
    if (isRefusal(posted)) return text(posted.status, posted.code);
    return text(503, "service_unavailable", posted.busy);
  } catch (error) {
    return internalError(error);
  }
}
