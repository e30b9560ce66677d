/** chat.postMessage, chat.update, chat.delete: message_sent, message_edited, message_deleted through the store. */
import type { MessageSent } from "../domain/events";
import { fail, ok, type SlackAnswer, type SlackCall } from "./answer";
import { messageKey } from "../usecases/appendEvent";
import { resolveClaim } from "../usecases/claims";
import { messageAt } from "./messageRef";
import { tsOf } from "./ts";
import { write } from "./writes";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `thread_ts` may name a reply: the message then goes to that reply's thread, as on Slack.
 * `client_msg_id` (a UUID) becomes the messageId, so a retry with it stores nothing twice.
 */
export async function postMessage(call: SlackCall): Promise<SlackAnswer> {
  const { args, deps } = call;
  const channelId = (args.channel ?? "").toLowerCase();
  const root = args.thread_ts === undefined ? undefined : await messageAt(deps.store, channelId, args.thread_ts);
  // A thread_ts that finds nothing: a messageId nobody has, so the store refuses as for any unknown root (after membership, so nothing is revealed).
  const threadId = args.thread_ts === undefined ? undefined : (root?.threadId ?? root?.messageId ?? deps.newId());
  const clientId = args.client_msg_id;
  const messageId = clientId !== undefined && uuid.test(clientId) ? clientId.toLowerCase() : deps.newId();
  const event = { type: "message_sent", channelId: args.channel, messageId, text: args.text, ...(threadId === undefined ? {} : { threadId }) };
  const result = await write(call, event);
  if ("error" in result) return result.error;
  const ts = tsOf(result.accepted.timestamp, result.accepted.seq);
  const text = (args.text ?? "").trim();
  const threadTs = root && (await rootTs(call, channelId, root));
  const message = { type: "message", user: call.userId, text, ts, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) };
  return ok({ channel: channelId, ts, message });
}

/**
 * The ts of the thread `named`'s message belongs to: its own, or (a reply's) its root's,
 * found from its message claim in the stream, as the store finds a reply's root: the views
 * may not show it yet.
 */
async function rootTs(call: SlackCall, channelId: string, named: MessageSent): Promise<string | undefined> {
  if (named.threadId === undefined) return tsOf(named.timestamp, named.seq);
  const claim = await call.deps.claims.get(messageKey(channelId, named.threadId));
  const state = claim && (await resolveClaim(claim, call.deps.store, call.deps.now().getTime()));
  const root = state?.kind === "accepted" ? state.accepted : undefined;
  return root ? tsOf(root.timestamp, root.seq) : undefined;
}

export async function update(call: SlackCall): Promise<SlackAnswer> {
  const { args, deps } = call;
  const channelId = (args.channel ?? "").toLowerCase();
  const target = await messageAt(deps.store, channelId, args.ts);
  const event = { type: "message_edited", channelId: args.channel, messageId: target?.messageId ?? deps.newId(), text: args.text };
  const result = await write(call, event, { notAuthor: "cant_update_message" });
  if ("error" in result) return result.error;
  const text = (args.text ?? "").trim();
  return ok({ channel: channelId, ts: args.ts, text, message: { type: "message", user: call.userId, text } });
}

export async function remove(call: SlackCall): Promise<SlackAnswer> {
  const { args, deps } = call;
  const channelId = (args.channel ?? "").toLowerCase();
  if (args.ts === undefined) return fail("message_not_found");
  const target = await messageAt(deps.store, channelId, args.ts);
  const result = await write(call, { type: "message_deleted", channelId: args.channel, messageId: target?.messageId ?? deps.newId() }, { notAuthor: "cant_delete_message" });
  if ("error" in result) return result.error;
  return ok({ channel: channelId, ts: args.ts });
}
