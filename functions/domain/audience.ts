/**
 * Who may see a channel event pushed live (CONTRACT §6): the channel's members at the time
 * of sending, the one who just left or was removed (so their screen lets go of the channel), and everyone
 * for the creation of a public channel.
 */
import { type ChannelEvent, leaverOf } from "./events";

export type Audience = { everyone: true } | { everyone: false; users: string[] };

export function audienceOf(event: ChannelEvent, members: readonly string[]): Audience {
  if (event.type === "channel_created" && !event.private) return { everyone: true };
  const users = new Set(members);
  if (event.type === "user_left_channel") users.add(leaverOf(event));
  return { everyone: false, users: [...users] };
}
