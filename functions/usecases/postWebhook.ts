/**
 * A POST to an incoming webhook's URL (CONTRACT §13): the webhook found by its id and the
 * URL's secret matched against its hash, then the payload's text sent as a message of the
 * app's bot through the store's own use case (validation, membership, events on the bus).
 * The bot joins the channel when it is not in it, by the same rules as anyone (public
 * channels only: in a private channel it is in by its creator's adding it, and stays out
 * once a member removed it). `thread_ts` names a message of the channel by its seq.
 */
import { seqOfTs } from "../domain/app/messageTs";
import { invalidPayload, webhookMessage } from "../domain/app/webhookPayload";
import { channelStream, EventInput } from "../domain/events";
import { isRefusal, refuse, type Refusal } from "../domain/refusal";
import type { Webhook, WebhookStore } from "../ports";
import { type AppendDeps, type AppendResult, appendEvent } from "./appendEvent";
import { matchesHash } from "./secretHash";

export interface WebhookDeps extends AppendDeps {
  webhooks: WebhookStore;
}

/** As Slack answers for a webhook it does not know or has disabled. */
export const noService = refuse(404, "no_service", "No such webhook (it may have been revoked).");

/** The webhook the URL names, if its secret is the right one. */
export async function findWebhook(webhookId: string, secret: string, deps: Pick<WebhookDeps, "webhooks">): Promise<Webhook | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(webhookId) || !/^[A-Za-z0-9_-]{1,128}$/.test(secret)) return undefined;
  const hook = await deps.webhooks.find(webhookId);
  return hook && matchesHash(secret, hook.secretHash) ? hook : undefined;
}

export type Posted = "posted" | Refusal | { busy: number };

export async function postWebhook(hook: Webhook, payload: Record<string, unknown>, deps: WebhookDeps): Promise<Posted> {
  const message = webhookMessage(payload);
  if (isRefusal(message)) return message;
  let threadId: string | undefined;
  if (message.threadTs !== undefined) {
    const seq = seqOfTs(message.threadTs);
    if (seq === undefined) return invalidPayload("thread_ts must be a message's ts");
    // A ts that finds no message gets a thread nobody has, refused by the store after its
    // membership check: a bot taken out of a private channel learns nothing of its stream.
    threadId = (await threadAt(hook.channelId, seq, deps)) ?? deps.newId();
  }
  const input = EventInput.safeParse({ type: "message_sent", channelId: hook.channelId, messageId: deps.newId(), text: message.text, ...(threadId ? { threadId } : {}) });
  if (!input.success) return invalidPayload(input.error.issues.map((i) => `${i.path.join(".") || "text"} ${i.message}`).join("; "));
  const send = () => appendEvent({ input: input.data, userId: hook.botUserId }, deps);
  let sent = await send();
  if (sent.kind === "refused" && sent.refusal.code === "not_member") {
    const joined = await appendEvent({ input: { type: "user_joined_channel", channelId: hook.channelId }, userId: hook.botUserId }, deps);
    if (joined.kind === "refused" && joined.refusal.code !== "already_member") return refuse(403, "action_prohibited", "The app's bot is not in this channel and cannot join it.");
    sent = await send();
  }
  return outcome(sent);
}

function outcome(sent: AppendResult): Posted {
  switch (sent.kind) {
    case "accepted":
      return "posted";
    case "busy":
      return { busy: sent.retryAfterSeconds };
    case "refused":
      if (sent.refusal.code === "not_member") return refuse(403, "action_prohibited", "The app's bot is not in this channel.");
      if (sent.refusal.code === "message_not_found") return invalidPayload("thread_ts names no message of this channel");
      return sent.refusal;
  }
}

/** The thread of the message at `seq` of the channel (a reply's is its root's), if a message is there. */
async function threadAt(channelId: string, seq: number, deps: AppendDeps): Promise<string | undefined> {
  const [event] = await deps.store.read(channelStream(channelId), seq - 1, 1);
  return event?.seq === seq && event.type === "message_sent" ? (event.threadId ?? event.messageId) : undefined;
}
