/**
 * Apps (CONTRACT §13): an app is created by a user, has a bot user of its own (a user like
 * any other, registered through the event store with `bot: true`) and a token, and may
 * have incoming webhooks, each bound to one channel. Only hashes of the token and of each
 * webhook's secret are kept. Pure: ids, time and hashes come in as arguments.
 */
import { z } from "zod";
import { refuse, type Refusal } from "../refusal";
import { hiddenCharacters, maxDisplayNameLength } from "../user/displayName";

/** A webhook as its app records it; the secret behind its URL is stored as a hash only. */
export interface WebhookEntry {
  webhookId: string;
  channelId: string;
  createdAt: string;
}

export interface App {
  appId: string;
  name: string;
  botUserId: string;
  createdBy: string;
  createdAt: string;
  /** SHA-256 (hex) of the bot's token: what revocation deletes. */
  tokenHash: string;
  /** Set once revoked: the token and the webhooks are gone (or going). */
  revokedAt?: string;
  webhooks: Record<string, WebhookEntry>;
}

/** What `GET /apps` shows of an app: never a token, nor a hash of one. */
export interface AppSummary {
  appId: string;
  name: string;
  botUserId: string;
  createdAt: string;
  webhooks: WebhookEntry[];
}

export const appLimits = {
  /** Apps a user may have at once: the listing is one read per app. */
  appsPerUser: 25,
  /** Webhooks an app may have at once: they are listed on its item. */
  webhooksPerApp: 25,
} as const;

/** An app's name is its bot's display name: the rules of a person's name. */
export const CreateAppInput = z.strictObject({
  name: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, "must not be blank")
    .refine((s) => [...s].length <= maxDisplayNameLength, `must be at most ${maxDisplayNameLength} characters`)
    .refine((s) => !hiddenCharacters.test(s), "must not hold control characters or invisible ones"),
});
export type CreateApp = z.output<typeof CreateAppInput>;
export const CreateWebhookInput = z.strictObject({ channelId: z.uuid({ message: "must be a UUID" }).transform((s) => s.toLowerCase()) });

export function decideCreateApp(
  input: CreateApp,
  ctx: { userId: string; appId: string; botUserId: string; tokenHash: string; now: string; appsOfUser: number },
): App | Refusal {
  if (ctx.appsOfUser >= appLimits.appsPerUser) return refuse(409, "too_many_apps", `You have ${appLimits.appsPerUser} apps, the most one may have; delete one first.`);
  return { appId: ctx.appId, name: input.name, botUserId: ctx.botUserId, createdBy: ctx.userId, createdAt: ctx.now, tokenHash: ctx.tokenHash, webhooks: {} };
}

/** Who may change an app: its creator, while it lives. Unknown and revoked apps are alike. */
export function decideOwnApp(app: App | undefined, userId: string): App | Refusal {
  if (!app || app.revokedAt !== undefined) return refuse(404, "app_not_found", "No such app.");
  if (app.createdBy !== userId) return refuse(403, "not_app_creator", "Only the app's creator can change it.");
  return app;
}

/** A webhook for the app: its creator's, within the limit (the channel's rules are the store's). */
export function decideCreateWebhook(app: App | undefined, userId: string): App | Refusal {
  const own = decideOwnApp(app, userId);
  if ("code" in own) return own;
  if (Object.keys(own.webhooks).length >= appLimits.webhooksPerApp) {
    return refuse(409, "too_many_webhooks", `This app has ${appLimits.webhooksPerApp} webhooks, the most one may have.`);
  }
  return own;
}

export function summaryOf(app: App): AppSummary {
  return {
    appId: app.appId,
    name: app.name,
    botUserId: app.botUserId,
    createdAt: app.createdAt,
    webhooks: Object.values(app.webhooks).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0)),
  };
}
