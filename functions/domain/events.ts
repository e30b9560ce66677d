/**
 * The events of the chat, as clients send them (inputs) and as the store keeps them
 * (stored events). Inputs are validated strictly: unknown fields are refused, so a
 * typo never silently drops data. Stored events are facts and are never re-validated.
 */
import { z } from "zod";
import { hiddenCharacters, maxDisplayNameLength } from "./user/displayName";
import { limits } from "./limits";

export const eventTypes = [
  "channel_created",
  "user_joined_channel",
  "user_left_channel",
  "message_sent",
  "message_edited",
  "message_deleted",
  "reaction_added",
  "reaction_removed",
  "channel_renamed",
  "channel_topic_set",
  "dm_opened",
  "user_registered",
  "user_renamed",
] as const;
export type EventType = (typeof eventTypes)[number];

/** The events of a user's stream (`user-<userId>`); every other type belongs to a channel's. */
export const userEventTypes = ["user_registered", "user_renamed"] as const satisfies readonly EventType[];
const isUserEventType = (t: EventType): t is (typeof userEventTypes)[number] => (userEventTypes as readonly EventType[]).includes(t);

/** The events of a channel's stream. */
export const channelEventTypes = eventTypes.filter((t) => !isUserEventType(t));

/** Types a client may send: `user_registered` only comes from the trusted registration path. */
export const clientEventTypes = eventTypes.filter((t) => t !== "user_registered");

export { limits };

const uuid = z.uuid({ message: "must be a UUID" });
const channelName = z
  .string()
  .min(1, "must not be empty")
  .max(limits.nameLength, `must be at most ${limits.nameLength} characters`)
  .regex(/^[a-z0-9_-]+$/, "may hold only lowercase letters, digits, '-' and '_'")
  .regex(/[a-z0-9]/, "must hold at least one letter or digit");
const userId = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, "must be a user id");
const topic = z.string().max(limits.topicLength, `must be at most ${limits.topicLength} characters`);
const text = z
  .string()
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, "must not be empty")
  .refine((s) => [...s].length <= limits.textCodePoints, `must be at most ${limits.textCodePoints} characters`);

/** An emoji's name as Slack spells it (`thumbsup`, `+1`, `tada`): CONTRACT §10. */
export const emojiName = z
  .string()
  .min(1, "must not be empty")
  .max(limits.emojiLength, `must be at most ${limits.emojiLength} characters`)
  .regex(/^[a-z0-9_+-]+$/, "must be an emoji name: lowercase letters, digits, '_', '+' and '-' only (e.g. thumbsup, +1)");

/** A person's display name: trimmed, never blank. */
const displayName = z
  .string()
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, "must not be blank")
  .refine((s) => [...s].length <= maxDisplayNameLength, `must be at most ${maxDisplayNameLength} characters`)
  .refine((s) => !hiddenCharacters.test(s), "must not hold control characters or invisible ones");

export const inputSchemas = {
  channel_created: z.strictObject({
    type: z.literal("channel_created"),
    channelId: uuid.optional(),
    name: channelName,
    topic: topic.optional(),
    private: z.boolean().optional(),
  }),
  user_joined_channel: z.strictObject({
    type: z.literal("user_joined_channel"),
    channelId: uuid,
    memberId: userId.optional(),
  }),
  user_left_channel: z.strictObject({ type: z.literal("user_left_channel"), channelId: uuid, memberId: userId.optional() }),
  message_sent: z.strictObject({ type: z.literal("message_sent"), channelId: uuid, messageId: uuid, text, threadId: uuid.optional() }),
  message_edited: z.strictObject({ type: z.literal("message_edited"), channelId: uuid, messageId: uuid, text }),
  message_deleted: z.strictObject({ type: z.literal("message_deleted"), channelId: uuid, messageId: uuid }),
  reaction_added: z.strictObject({ type: z.literal("reaction_added"), channelId: uuid, messageId: uuid, emoji: emojiName }),
  reaction_removed: z.strictObject({ type: z.literal("reaction_removed"), channelId: uuid, messageId: uuid, emoji: emojiName }),
  channel_renamed: z.strictObject({ type: z.literal("channel_renamed"), channelId: uuid, name: channelName }),
  channel_topic_set: z.strictObject({ type: z.literal("channel_topic_set"), channelId: uuid, topic }),
  dm_opened: z.strictObject({
    type: z.literal("dm_opened"),
    memberIds: z
      .array(userId)
      .min(1, "must name at least one other person")
      .max(limits.dmOthers, `must name at most ${limits.dmOthers} other people`)
      .refine((ids) => new Set(ids).size === ids.length, "must not name anyone twice"),
  }),
  user_renamed: z.strictObject({ type: z.literal("user_renamed"), name: displayName }),
} as const;

export const EventInput = z.discriminatedUnion("type", [
  inputSchemas.channel_created,
  inputSchemas.user_joined_channel,
  inputSchemas.user_left_channel,
  inputSchemas.message_sent,
  inputSchemas.message_edited,
  inputSchemas.message_deleted,
  inputSchemas.reaction_added,
  inputSchemas.reaction_removed,
  inputSchemas.channel_renamed,
  inputSchemas.channel_topic_set,
  inputSchemas.dm_opened,
  inputSchemas.user_renamed,
]);
export type EventInput = z.output<typeof EventInput>;
export type InputOf<T extends EventInput["type"]> = Extract<EventInput, { type: T }>;

/** What the store adds to every event. */
export interface Envelope {
  eventId: string;
  stream: string;
  seq: number;
  timestamp: string;
  userId: string;
}

export interface ChannelCreated extends Envelope {
  type: "channel_created";
  channelId: string;
  name: string;
  topic: string;
  private: boolean;
}
export interface UserJoinedChannel extends Envelope {
  type: "user_joined_channel";
  channelId: string;
  memberId: string;
}
/** `memberId` only when the channel's creator removed someone else; otherwise `userId` left. */
export interface UserLeftChannel extends Envelope {
  type: "user_left_channel";
  channelId: string;
  memberId?: string;
}
export interface ChannelRenamed extends Envelope {
  type: "channel_renamed";
  channelId: string;
  name: string;
}
export interface ChannelTopicSet extends Envelope {
  type: "channel_topic_set";
  channelId: string;
  topic: string;
}
/**
 * A direct (or group) message opened (CONTRACT §11): a channel of kind `dm` whose members
 * are `userId` and `memberIds`, with no name, private, its id derived from the member set
 * (channel/dmChannelId.ts).
 */
export interface DmOpened extends Envelope {
  type: "dm_opened";
  channelId: string;
  memberIds: string[];
}
/**
 * `position` is the message's index among the channel's messages (0, 1, 2, …): it places it
 * on a page. A reply (`threadId`: the top-level message it answers) is not among them: its
 * `position` is its thread root's, whose page shows the thread's summary. So are an edit's
 * and a deletion's of a reply.
 */
/** A message of the channel, where its page (or, for a reply, its thread) finds it. */
interface OnMessage {
  channelId: string;
  messageId: string;
  position: number;
  threadId?: string;
}
export interface MessageSent extends Envelope, OnMessage {
  type: "message_sent";
  text: string;
}
export interface MessageEdited extends Envelope, OnMessage {
  type: "message_edited";
  text: string;
}
export interface MessageDeleted extends Envelope, OnMessage {
  type: "message_deleted";
}
/**
 * A reaction given or taken back: `userId`'s `emoji` on the message. `position` places the
 * message, as for edits (a reply's `threadId`, its thread). Adding one the user already
 * has, or removing one they have not, may be stored: it changes no view (the folds ignore it).
 */
export interface ReactionAdded extends Envelope, OnMessage {
  type: "reaction_added";
  emoji: string;
}
export interface ReactionRemoved extends Envelope, OnMessage {
  type: "reaction_removed";
  emoji: string;
}
/** `bot`: the account is an app's bot (CONTRACT §13), registered by the app's creation, never by a client's event. */
export interface UserRegistered extends Envelope {
  type: "user_registered";
  name: string;
  bot?: true;
}
export interface UserRenamed extends Envelope {
  type: "user_renamed";
  name: string;
}

export type ChannelEvent =
  | ChannelCreated
  | UserJoinedChannel
  | UserLeftChannel
  | MessageSent
  | MessageEdited
  | MessageDeleted
  | ReactionAdded
  | ReactionRemoved
  | ChannelRenamed
  | ChannelTopicSet
  | DmOpened;
export type UserEvent = UserRegistered | UserRenamed;
export type StoredEvent = ChannelEvent | UserEvent;
export type EventOf<T extends EventType> = Extract<StoredEvent, { type: T }>;
/** An event before the store gives it a place: what `decide` returns. */
export type NewEvent = DistributiveOmit<StoredEvent, "seq" | "stream">;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export const channelStream = (channelId: string) => `channel-${channelId}`;
export const userStream = (userId: string) => `user-${userId}`;

export function streamOf(event: NewEvent | StoredEvent): string {
  return "channelId" in event ? channelStream(event.channelId) : userStream(event.userId);
}

export const isChannelEvent = (event: StoredEvent): event is ChannelEvent => !isUserEventType(event.type);
export const isUserEvent = (event: StoredEvent): event is UserEvent => isUserEventType(event.type);

/** A reply's thread, or undefined for a top-level message (and every other event). */
export const threadOf = (event: StoredEvent): string | undefined =>
  event.type === "message_sent" || event.type === "message_edited" || event.type === "message_deleted" || event.type === "reaction_added" || event.type === "reaction_removed"
    ? event.threadId
    : undefined;
/** Everyone in a DM: who opened it, then the others as they named them. */
export const dmMembersOf = (event: DmOpened): string[] => [event.userId, ...event.memberIds];

/** Who left the channel: the member the creator removed, or whoever sent the leave. */
export const leaverOf = (event: UserLeftChannel): string => event.memberId ?? event.userId;
