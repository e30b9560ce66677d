/**
 * Apps and their incoming webhooks (CONTRACT §13), as the "Apps" dialog uses them: the
 * API's answers, the channels a webhook may post to, a `curl` line for a webhook's URL, and
 * the server's refusals in plain words.
 */
import type { AppSummary, WebhookEntry } from "../../../functions/domain/app/app";
import { ApiError } from "../api/apiError";
import { asSentence } from "../sentence";
import { isDm } from "./dms";
import type { Timeline } from "./timeline";

export type { AppSummary, WebhookEntry };

/** `POST /apps`'s answer: the token is in it, and nowhere else ever again. */
export interface CreatedApp {
  appId: string;
  name: string;
  botUserId: string;
  token: string;
}

/** `POST /apps/<appId>/webhooks`'s answer: the URL (its secret part) is shown only here. */
export interface CreatedWebhook {
  webhookId: string;
  channelId: string;
  url: string;
}

export interface AppsApi {
  list(): Promise<AppSummary[]>;
  create(name: string): Promise<CreatedApp>;
  revoke(appId: string): Promise<void>;
  addWebhook(appId: string, channelId: string): Promise<CreatedWebhook>;
}

export interface WebhookChannel {
  channelId: string;
  name: string;
  private: boolean;
}

/** The channels we are in (DMs apart: a webhook posts to a channel), by name. */
export function webhookChannels(timelines: ReadonlyMap<string, Timeline>, meId: string): WebhookChannel[] {
  const out: WebhookChannel[] = [];
  for (const [channelId, t] of timelines) {
    const head = t.head;
    if (!head || isDm(head) || !head.members.includes(meId)) continue;
    out.push({ channelId, name: head.name, private: head.private });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A `curl` line that posts Slack's webhook payload to `url` (single quotes: the shell leaves the JSON alone). */
export function curlExample(url: string, text = "Hello from curl"): string {
  const payload = JSON.stringify({ text }).replace(/'/g, "'\\''");
  return `curl -X POST -H 'Content-Type: application/json' -d '${payload}' '${url}'`;
}

/** A refusal of the apps routes in plain words: what to do, never the API's internal names. */
export type AppAction = "read your apps" | "create the app" | "revoke the app" | "add the webhook";

export function describeAppError(error: unknown, doing: AppAction): string {
  if (!(error instanceof ApiError)) return `Could not ${doing}. Try again.`;
  switch (error.code) {
    case "network":
      return `Could not ${doing}: the server could not be reached. Check your connection.`;
    case "app_not_found":
      return "This app no longer exists (it was revoked). Close and reopen Apps.";
    case "not_app_creator":
      return "Only the app's creator can change it.";
    case "forbidden":
    case "not_member":
      if (doing === "add the webhook") return "You can add a webhook only to a channel you are in.";
      break;
    case "rate_limited":
      return `Too many requests: wait ${Math.ceil((error.retryAfterMs ?? 1000) / 1000)} s and try again.`;
  }
  if (error.status >= 500) return `Could not ${doing}: something went wrong on the server. Try again.`;
  return asSentence(error.message) || `Could not ${doing}: the server answered ${error.status}.`;
}
