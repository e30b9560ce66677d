/**
 * Apps (CONTRACT §13): create one (its bot registered through the event store like any
 * user, its token shown once and kept as a hash), list the caller's, revoke one, and give
 * one an incoming webhook for a channel.
 *
 * Revocation marks the app first, then deletes its token and its webhooks: a webhook being
 * created at that moment is added to the app under a condition that the app is not revoked,
 * after its own item is written, so either the mark's answer lists it (and it is deleted)
 * or its addition fails (and its creator deletes it). A token or webhook left by a crash
 * before its app was written was never shown to anyone.
 */
import { type App, type AppSummary, type CreateApp, decideCreateApp, decideCreateWebhook, decideOwnApp, summaryOf, type WebhookEntry } from "../domain/app/app";
import { isRefusal, refuse, type Refusal } from "../domain/refusal";
import type { AppStore, BotTokenStore, WebhookStore } from "../ports";
import { type AppendDeps, appendEvent } from "./appendEvent";
import { registerUser } from "./registerUser";
import { botTokenPrefix, secretHash } from "./secretHash";

export interface AppDeps extends AppendDeps {
  apps: AppStore;
  tokens: BotTokenStore;
  webhooks: WebhookStore;
  newSecret: () => string;
}

export interface CreatedApp {
  appId: string;
  name: string;
  botUserId: string;
  token: string;
}

export async function createApp(userId: string, input: CreateApp, deps: AppDeps): Promise<CreatedApp | Refusal> {
  const token = `${botTokenPrefix}${deps.newSecret()}`;
  const decided = decideCreateApp(input, {
    userId,
    appId: deps.newId(),
    botUserId: deps.newId(),
    tokenHash: secretHash(token),
    now: deps.now().toISOString(),
    appsOfUser: (await deps.apps.idsOf(userId)).length,
  });
  if (isRefusal(decided)) return decided;
  const app = decided;
  await registerUser(app.botUserId, app.name, deps, { bot: true });
  await deps.apps.create(app);
  await deps.tokens.put(app.tokenHash, { appId: app.appId, botUserId: app.botUserId });
  return { appId: app.appId, name: app.name, botUserId: app.botUserId, token };
}

export async function listApps(userId: string, deps: Pick<AppDeps, "apps">): Promise<AppSummary[]> {
  const apps = await Promise.all((await deps.apps.idsOf(userId)).map((id) => deps.apps.get(id)));
  return apps
    .filter((app): app is App => app !== undefined && app.createdBy === userId && app.revokedAt === undefined)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
    .map(summaryOf);
}

/** Revokes the app's token and webhooks. Again on a revoked app of the caller's: finishes what a crash may have left. */
export async function revokeApp(userId: string, appId: string, deps: Pick<AppDeps, "apps" | "tokens" | "webhooks" | "now">): Promise<"revoked" | Refusal> {
  const app = await deps.apps.get(appId);
  if (app?.revokedAt === undefined) {
    const own = decideOwnApp(app, userId);
    if (isRefusal(own)) return own;
  } else if (app.createdBy !== userId) {
    return decideOwnApp(undefined, userId) as Refusal;
  }
  const marked = await deps.apps.revoke(app!, deps.now().toISOString());
  await deps.tokens.remove(marked.tokenHash);
  await Promise.all(Object.keys(marked.webhooks).map((id) => deps.webhooks.remove(id)));
  return "revoked";
}

export interface CreatedWebhook {
  webhookId: string;
  /** The secret part of its URL, shown once. */
  secret: string;
}

/**
 * A webhook of the app for a channel: the app's creator adds its bot to the channel, as
 * any member adds someone (the store's rules: the creator must be a member; no DM), then
 * the webhook is stored with the hash of its secret.
 */
export async function createWebhook(userId: string, appId: string, channelId: string, deps: AppDeps): Promise<CreatedWebhook | Refusal> {
  const app = decideCreateWebhook(await deps.apps.get(appId), userId);
  if (isRefusal(app)) return app;
  const joined = await appendEvent({ input: { type: "user_joined_channel", channelId, memberId: app.botUserId }, userId }, deps);
  if (joined.kind === "busy") return refuse(409, "busy", "The channel is busy; try again.");
  if (joined.kind === "refused" && joined.refusal.code !== "already_member") return joined.refusal;
  const webhookId = deps.newId();
  const secret = deps.newSecret();
  const entry: WebhookEntry = { webhookId, channelId, createdAt: deps.now().toISOString() };
  await deps.webhooks.put({ webhookId, appId, botUserId: app.botUserId, channelId, createdBy: userId, secretHash: secretHash(secret) });
  if (!(await deps.apps.addWebhook(appId, entry))) {
    await deps.webhooks.remove(webhookId);
    return decideOwnApp(undefined, userId) as Refusal;
  }
  return { webhookId, secret };
}
