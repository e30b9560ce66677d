/** conversations.list, conversations.info and conversations.join, over the directory and the channel's head. */
import type { ChannelHead } from "../domain/projections/channel";
import type { DirectoryEntry } from "../domain/projections/directory";
import { type Args, intArg } from "./args";
import { fail, isError, ok, type SlackAnswer, type SlackCall, type SlackError } from "./answer";
import { conversation, type ConversationType, conversationTypes, typeOf } from "./conversation";
import { decodeCursor, encodeCursor } from "./cursor";
import { readAs } from "./reads";
import { write } from "./writes";

/** Public channels, and the private ones and DMs the caller is in (views/channels), of the asked `types`, a page at a time. */
export async function list(call: SlackCall): Promise<SlackAnswer> {
  const types = typesOf(call.args);
  if (isError(types)) return types;
  const limit = intArg(call.args, "limit", { min: 1, max: 1000, fallback: 100 });
  if (typeof limit !== "number") return fail(limit.error);
  const start = call.args.cursor ? decodeCursor(call.args.cursor, ["offset"]) : { offset: 0 };
  if (!start) return fail("invalid_cursor");
  const [directory, me] = await Promise.all([
    readAs<{ channels: DirectoryEntry[] }>(call, "channels"),
    readAs<{ channels: string[] }>(call, "users/me"),
  ]);
  const mine = new Set(me?.channels ?? []);
  const matching = (directory?.channels ?? []).filter((c) => types.includes(typeOf(c)));
  const page = matching.slice(start.offset, start.offset + limit);
  const next = start.offset + page.length < matching.length ? encodeCursor({ offset: start.offset + page.length }) : "";
  return ok({ channels: page.map((c) => conversation(c, call.userId, mine.has(c.channelId))), response_metadata: { next_cursor: next } });
}

function typesOf(args: Args): ConversationType[] | SlackError {
  const asked = (args.types ?? "public_channel").split(",").map((t) => t.trim()).filter((t) => t !== "");
  if (!asked.every((t) => (conversationTypes as readonly string[]).includes(t))) return fail("invalid_types");
  return asked.length === 0 ? ["public_channel"] : (asked as ConversationType[]);
}

export async function info(call: SlackCall): Promise<SlackAnswer> {
  const channelId = (call.args.channel ?? "").toLowerCase();
  const head = await headOf(call, channelId);
  return head ? ok({ channel: conversationOf(head, call.userId) }) : fail("channel_not_found");
}

/** Joining a channel one is in already answers ok with Slack's `already_in_channel` warning, as Slack does. */
export async function join(call: SlackCall): Promise<SlackAnswer> {
  const channelId = (call.args.channel ?? "").toLowerCase();
  const result = await write(call, { type: "user_joined_channel", channelId: call.args.channel });
  const already = "error" in result && result.refusal === "already_member";
  if ("error" in result && !already) return result.error;
  const head = await headOf(call, channelId);
  // The head lags the join a moment: the caller is a member now, whatever it says yet.
  const channel = head ? { ...conversationOf(head, call.userId), is_member: true } : { id: channelId, is_member: true };
  return ok({ channel, ...(already ? { already_in_channel: true, warning: "already_in_channel", response_metadata: { warnings: ["already_in_channel"] } } : {}) });
}

const headOf = (call: SlackCall, channelId: string) => (/^[0-9a-f-]{36}$/.test(channelId) ? readAs<ChannelHead>(call, `channels/${channelId}`) : Promise.resolve(undefined));

const conversationOf = (head: ChannelHead, userId: string) => conversation(head, userId, head.members.includes(userId), head);
