/** The apps routes over HTTP (CONTRACT §13): the person's token on every call, as for the chat API. */
import type { AppsApi, AppSummary, CreatedApp, CreatedWebhook } from "../state/apps";
import { authedRequest, type TokenSource } from "./httpChatApi";

export function httpAppsApi(apiUrl: string, tokens: TokenSource): AppsApi {
  const request = authedRequest(apiUrl, tokens);
  const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return {
    list: async () => (await request<{ apps: AppSummary[] }>("apps", { method: "GET" })).apps,
    create: (name) => request<CreatedApp>("apps", json({ name })),
    revoke: (appId) => request<void>(`apps/${encodeURIComponent(appId)}`, { method: "DELETE" }),
    addWebhook: (appId, channelId) => request<CreatedWebhook>(`apps/${encodeURIComponent(appId)}/webhooks`, json({ channelId })),
  };
}
