/** What a method answers, and how it goes out: Slack's envelope, HTTP 200 for all but `ratelimited`. */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Adapters } from "../adapters/wiring";
import type { Args } from "./args";

export type SlackAnswer = ({ ok: true } & Record<string, unknown>) | SlackError;
export interface SlackError {
  ok: false;
  error: string;
  /** For `ratelimited` only: answered 429 with `Retry-After`, as Slack does. */
  retryAfterSeconds?: number;
}

/** One call of a method: who calls, with what, through which ports. */
export interface SlackCall {
  userId: string;
  args: Args;
  deps: Adapters;
  /** The request's `Idempotency-Key`, passed on to the store as POST /events does. */
  idempotencyKey?: string;
  /** The API's host, for auth.test's `url`. */
  domainName: string;
}

export const ok = (fields: Record<string, unknown> = {}): SlackAnswer => ({ ok: true, ...fields });
export const fail = (error: string, retryAfterSeconds?: number): SlackError => ({ ok: false, error, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
export const isError = (value: unknown): value is SlackError => typeof value === "object" && value !== null && (value as { ok?: unknown }).ok === false;

const headers = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export function httpOf(answer: SlackAnswer): APIGatewayProxyStructuredResultV2 {
  if (answer.ok || answer.error !== "ratelimited") {
    const { retryAfterSeconds: _, ...body } = answer as SlackError;
    return { statusCode: 200, headers, body: JSON.stringify(answer.ok ? answer : body) };
  }
  return {
    statusCode: 429,
    headers: { ...headers, "retry-after": String(answer.retryAfterSeconds ?? 1) },
    body: JSON.stringify({ ok: false, error: "ratelimited" }),
  };
}
