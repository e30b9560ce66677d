/** The official Slack client (`@slack/web-api`) pointed at a sandbox, and raw calls of the same API for what the client hides. */
import { LogLevel, type Logger, WebClient, type WebClientOptions } from "@slack/web-api";

/** The client keeps quiet in tests: a failing call is asserted, not logged. */
const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** `slackApiUrl: "<apiUrl>/slack/"`, as CONTRACT §13 says; no retries unless a test asks for them. */
export function slackClient(apiUrl: string, token: string | undefined, options: WebClientOptions = {}): WebClient {
  return new WebClient(token, { slackApiUrl: `${apiUrl}/slack/`, logger: silentLogger, retryConfig: { retries: 0 }, ...options });
}

/** The Slack error a call fails with (`channel_not_found` …), or "ok" when it succeeds. */
export async function slackErrorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "ok";
  } catch (error) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === "string") return data.error;
    throw error;
  }
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** A method called with a body of one's own making (JSON, a malformed form, no token …). */
export async function rawSlackCall(apiUrl: string, method: string, init: { token?: string; contentType?: string; body?: string; headers?: Record<string, string> }): Promise<RawAnswer> {
  const headers: Record<string, string> = { ...(init.contentType ? { "content-type": init.contentType } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers };
  const response = await fetch(`${apiUrl}/slack/${method}`, { method: "POST", headers, ...(init.body === undefined ? {} : { body: init.body }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
