/** A tiny client of the apps routes (CONTRACT §13), as a script or the web app would call them. */
import type { Answer } from "./chatApi";

async function call(url: string, method: string, token: string | undefined, body?: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // a webhook answers in plain text, as Slack does
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export interface CreatedApp {
  appId: string;
  name: string;
  botUserId: string;
  token: string;
}

export const createApp = (apiUrl: string, token: string | undefined, body: unknown) => call(`${apiUrl}/apps`, "POST", token, body);
export const listApps = (apiUrl: string, token: string | undefined) => call(`${apiUrl}/apps`, "GET", token);
export const deleteApp = (apiUrl: string, token: string | undefined, appId: string) => call(`${apiUrl}/apps/${appId}`, "DELETE", token);
export const createWebhook = (apiUrl: string, token: string | undefined, appId: string, body: unknown) => call(`${apiUrl}/apps/${appId}/webhooks`, "POST", token, body);

/** A raw POST to a webhook's URL (no credential): `contentType` default JSON. */
export async function postToWebhook(url: string, body: string, contentType = "application/json"): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": contentType }, body });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** A POST to the Slack routes with only an Authorization header (or none). */
export const slackCall = (apiUrl: string, method: string, authorization?: string) =>
  fetch(`${apiUrl}/slack/${method}`, { method: "POST", headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) }, body: "{}" });
