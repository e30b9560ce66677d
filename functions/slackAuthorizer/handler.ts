/**
 * The Lambda authorizer of `{apiUrl}/slack/{method}` (API Gateway HTTP API, REQUEST,
 * payload 2.0, simple responses): `Authorization: Bearer <token>` where the token is a
 * bot's (`xoxb-…`: usecases/botCaller.ts, one read by its hash) or a person's Cognito ID
 * token (verified as the JWT authorizer does). The route's function gets
 * `requestContext.authorizer.lambda`:
 * - `{ userId, kind: "bot" | "user", name? }` for a good token;
 * - `{ error: "not_authed" }` without a token, `{ error: "invalid_auth" }` with a bad one.
 * A refused caller is let through with only that `error` (no userId), because Slack's
 * clients need Slack's answer (HTTP 200, `{"ok": false, "error": "invalid_auth"}`), which
 * an authorizer's own refusal (403 `Forbidden`) is not; the function answers so and does
 * nothing else. It has no identity sources, so API Gateway calls it for every request and
 * caches nothing: its own decisions last 5 seconds at most, and revocation takes effect
 * within them.
 */
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from "aws-lambda";
import { appAdapters } from "../adapters/appWiring";
import { verifyIdToken } from "../adapters/cognitoIdTokens";
import { BotDecisions, botCaller, isBotToken } from "../usecases/botCaller";

/** `name`: a person's display name from their token, for their first call's registration (as the JWT routes have it). */
export type SlackCaller = { userId: string; kind: "bot" | "user"; name?: string } | { error: "not_authed" | "invalid_auth" };

/** Exported so tests can drive its clock. */
export const decisions = new BotDecisions();

export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerWithContextResult<SlackCaller>> {
  const header = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === "authorization")?.[1];
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
  return { isAuthorized: true, context: token ? await callerOf(token) : { error: "not_authed" } };
}

async function callerOf(token: string): Promise<SlackCaller> {
  if (isBotToken(token)) {
    const bot = await botCaller(token, appAdapters().tokens, decisions);
    return bot ? { userId: bot.botUserId, kind: "bot" } : { error: "invalid_auth" };
  }
  const claims = await verifyIdToken(token);
  if (!claims) return { error: "invalid_auth" };
  return { userId: claims.sub, kind: "user", ...(typeof claims.name === "string" ? { name: claims.name } : {}) };
}
