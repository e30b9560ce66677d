/**
 * A message's reactions (CONTRACT §10): one entry per emoji, in the order each emoji was
 * first added, with who reacted in the order they did; an emoji nobody has any more is gone.
 * Adding a reaction one already has, or removing one one has not, changes nothing; nor does
 * a new emoji past `limits.emojiPerMessage`.
 */
import type { ChannelEvent, ReactionAdded, ReactionRemoved } from "../events";
import { limits } from "../limits";

export interface Reaction {
  emoji: string;
  count: number;
  userIds: string[];
}

export type ReactionEvent = ReactionAdded | ReactionRemoved;

export const isReactionEvent = (event: ChannelEvent): event is ReactionEvent => event.type === "reaction_added" || event.type === "reaction_removed";

/** The reactions after `event` (stored, or one of ours on its way): the very same array when it changes nothing. */
export function applyReaction(reactions: readonly Reaction[], event: Pick<ReactionEvent, "type" | "emoji" | "userId">): readonly Reaction[] {
  const index = reactions.findIndex((r) => r.emoji === event.emoji);
  const found = reactions[index];
  if (event.type === "reaction_added") {
    if (!found) return reactions.length >= limits.emojiPerMessage ? reactions : [...reactions, { emoji: event.emoji, count: 1, userIds: [event.userId] }];
    if (found.userIds.includes(event.userId)) return reactions;
    return replaceAt(reactions, index, reactionOf(found.emoji, [...found.userIds, event.userId]));
  }
  if (!found?.userIds.includes(event.userId)) return reactions;
  const userIds = found.userIds.filter((u) => u !== event.userId);
  return userIds.length === 0 ? reactions.filter((_, i) => i !== index) : replaceAt(reactions, index, reactionOf(found.emoji, userIds));
}

const reactionOf = (emoji: string, userIds: string[]): Reaction => ({ emoji, count: userIds.length, userIds });

const replaceAt = (reactions: readonly Reaction[], index: number, reaction: Reaction): Reaction[] => reactions.map((r, i) => (i === index ? reaction : r));
