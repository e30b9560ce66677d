/**
 * Every rule of the contract about channel commands: who may do what, given the channel's
 * state. Pure: ids, time and the facts looked up elsewhere come in as arguments.
 */
import type { EventInput, NewEvent } from "../events";
import { refuse, type Refusal } from "../refusal";
import { refusedInDm } from "./dm";
import { isNameBasedId } from "./dmChannelId";
import type { ChannelState } from "./state";

/** What the store knows of a message from the claim its `message_sent` took. */
export interface MessageFacts {
  author: string;
  position: number;
  deleted: boolean;
}

export interface DecideContext {
  userId: string;
  eventId: string;
  now: string;
  /** For `message_edited`/`message_deleted` and reactions: the target message, if it exists. */
  message?: MessageFacts;
  /** For `user_joined_channel` adding someone else: whether that account exists. */
  memberRegistered?: boolean;
}

export type ChannelInput = Exclude<EventInput, { type: "channel_created" | "user_renamed" | "dm_opened" }>;

export function decideCreate(
  input: Extract<EventInput, { type: "channel_created" }>,
  state: ChannelState,
  ctx: DecideContext & { channelId: string },
): NewEvent | Refusal {
  if (state.exists) return refuse(409, "channel_exists", "A channel with this channelId already exists.");
  if (isNameBasedId(ctx.channelId)) return refuse(400, "invalid_field", "channelId: name-based UUIDs (version 5) are DMs' ids; give a random one (version 4), or none.");
  return {
    type: "channel_created",
    eventId: ctx.eventId,
    timestamp: ctx.now,
    userId: ctx.userId,
    channelId: ctx.channelId,
    name: input.name,
    topic: input.topic ?? "",
    private: input.private ?? false,
  };
}

export function decide(input: ChannelInput, state: ChannelState, ctx: DecideContext): NewEvent | Refusal {
  if (!state.exists) return refuse(404, "channel_not_found", "No such channel.");
  const inDm = refusedInDm(input.type, state);
  if (inDm) return inDm;
  const base = { eventId: ctx.eventId, timestamp: ctx.now, userId: ctx.userId, channelId: input.channelId };
  const isMember = state.members.includes(ctx.userId);
  switch (input.type) {
    case "user_joined_channel": {
      const memberId = input.memberId ?? ctx.userId;
      if (memberId === ctx.userId) {
        if (state.private && !isMember) return refuse(403, "forbidden", "Private channels can only be joined when a member adds you.");
      } else {
        if (!isMember) return refuse(403, "forbidden", "Only members can add people to a channel.");
        if (ctx.memberRegistered === false) return refuse(404, "user_not_found", "No such user.");
      }
      if (state.members.includes(memberId)) return refuse(409, "already_member", "Already a member of this channel.");
      return { ...base, type: "user_joined_channel", memberId };
    }
    case "user_left_channel": {
      if (!isMember) return refuse(403, "not_member", "You are not a member of this channel.");
      const memberId = input.memberId ?? ctx.userId;
      if (memberId === ctx.userId) return { ...base, type: "user_left_channel" };
      if (state.createdBy !== ctx.userId) return refuse(403, "forbidden", "Only the channel's creator can remove someone.");
      if (!state.members.includes(memberId)) return refuse(409, "not_in_channel", "That person is not a member of this channel.");
      return { ...base, type: "user_left_channel", memberId };
    }
    case "channel_renamed":
      if (!isMember) return refuse(403, "not_member", "Only members can rename this channel.");
      if (input.name === state.name) return refuse(409, "name_unchanged", `The channel is already named "${input.name}".`);
      return { ...base, type: "channel_renamed", name: input.name };
    case "channel_topic_set":
      if (!isMember) return refuse(403, "not_member", "Only members can set this channel's topic.");
      return { ...base, type: "channel_topic_set", topic: input.topic };
    case "message_sent":
      if (!isMember) return refuse(403, "not_member", "Only members can post in this channel.");
      return { ...base, type: "message_sent", messageId: input.messageId, text: input.text, position: state.messageCount };
    case "message_edited":
    case "message_deleted": {
      if (!isMember) return refuse(403, "not_member", "You are not a member of this channel.");
      const message = ctx.message;
      if (!message || message.deleted) return refuse(404, "message_not_found", "No such message.");
      if (message.author !== ctx.userId) return refuse(403, "not_author", "Only the author can change a message.");
      const target = { messageId: input.messageId, position: message.position };
      return input.type === "message_edited"
        ? { ...base, ...target, type: "message_edited", text: input.text }
        : { ...base, ...target, type: "message_deleted" };
    }
    case "reaction_added":
    case "reaction_removed": {
      // Whether the user already has the reaction is left to the folds: the answer is 202 either way (CONTRACT §10).
      if (!isMember) return refuse(403, "not_member", "Only members can react to messages in this channel.");
      const message = ctx.message;
      if (!message || message.deleted) return refuse(404, "message_not_found", "No such message.");
      return { ...base, type: input.type, messageId: input.messageId, emoji: input.emoji, position: message.position };
    }
  }
}
