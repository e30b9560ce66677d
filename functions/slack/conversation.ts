/**
 * A channel or DM as Slack's conversation object, from the directory's entry (lists) or
 * the channel's head (info, join). A DM of two is an `im` (with `user`, the other one), of
 * more a `mpim`; a channel is public (`is_channel`) or private (`is_group`, as Slack's
 * private channels are).
 */
import type { ChannelHead } from "../domain/projections/channel";
import type { DirectoryEntry } from "../domain/projections/directory";

export type ConversationType = "public_channel" | "private_channel" | "im" | "mpim";
export const conversationTypes: readonly ConversationType[] = ["public_channel", "private_channel", "im", "mpim"];

type Source = Pick<DirectoryEntry, "channelId" | "name" | "topic" | "private"> & { kind?: "channel" | "dm"; members?: string[]; memberCount?: number };

export function typeOf(c: Pick<Source, "kind" | "private" | "members" | "memberCount">): ConversationType {
  if (c.kind === "dm") return (c.members?.length ?? c.memberCount ?? 2) > 2 ? "mpim" : "im";
  return c.private ? "private_channel" : "public_channel";
}

export function conversation(c: Source, userId: string, isMember: boolean, head?: Pick<ChannelHead, "createdAt" | "createdBy">): Record<string, unknown> {
  const type = typeOf(c);
  const created = head ? { created: Math.floor(Date.parse(head.createdAt) / 1000), creator: head.createdBy } : {};
  const numMembers = c.members?.length ?? c.memberCount;
  const common = {
    id: c.channelId,
    ...created,
    is_channel: type === "public_channel",
    is_group: type === "private_channel",
    is_im: type === "im",
    is_mpim: type === "mpim",
    is_private: type !== "public_channel",
    is_archived: false,
    is_general: false,
    is_member: isMember,
    ...(numMembers === undefined ? {} : { num_members: numMembers }),
  };
  if (type === "im") return { ...common, user: c.members?.find((m) => m !== userId) ?? userId, is_user_deleted: false };
  const topic = { value: c.topic, creator: "", last_set: 0 };
  return { ...common, name: c.name, name_normalized: c.name, topic, purpose: { value: "", creator: "", last_set: 0 } };
}
