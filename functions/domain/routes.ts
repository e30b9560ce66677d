/**
 * The routing table: which event types each projection receives. It is the one manifest
 * that both the Pulumi program (one EventBridge rule per entry, matching `detail-type`)
 * and the local sandbox's bus read.
 */
import { channelEventTypes, type EventType } from "./events";

export const routes = {
  /** Channel head and fixed-size message pages: views/channels/<id>, …/pages/<n>. */
  channel: channelEventTypes,
  /** The channel directory: views/channels (its lastSeq is read from the channel view). */
  directory: ["channel_created", "dm_opened", "user_joined_channel", "user_left_channel", "channel_renamed", "channel_topic_set"],
  /** The users directory and each user's own view: views/users, views/users/me. */
  user: ["user_registered", "user_renamed", "channel_created", "dm_opened", "user_joined_channel", "user_left_channel"],
  /** Each user's mentions: views/users/me/mentions. Added after launch and back-filled. */
  mentions: ["user_registered", "user_renamed", "message_sent", "message_edited", "message_deleted"],
  /** Each channel's search index (search.ts), read by GET /search. Added after launch and back-filled. */
  search: ["message_sent", "message_edited", "message_deleted"],
  /**
   * Realtime: pushes each channel event to the sockets of those who may see it, and a
   * rename of a user to everyone (the users directory is everyone's) (its own function).
   */
  notify: [...channelEventTypes, "user_renamed"],
} as const satisfies Record<string, readonly EventType[]>;

export type ProjectionName = keyof typeof routes;
export const projectionNames = Object.keys(routes) as ProjectionName[];

/** The EventBridge `source` of every event the store publishes. */
export const eventSource = "chat.events";

export function projectionsFor(type: EventType): ProjectionName[] {
  return projectionNames.filter((name) => (routes[name] as readonly EventType[]).includes(type));
}
