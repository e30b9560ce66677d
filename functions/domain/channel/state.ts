/**
 * The little state the store needs to decide on a channel command, folded from the
 * channel's stream. Message texts are not kept: deciding never needs them, and the
 * state must stay small enough to snapshot in one item.
 */
import { type ChannelEvent, dmMembersOf, leaverOf } from "../events";

export interface ChannelState {
  /** The seq of the last event folded in; the next event goes to `version + 1`. */
  version: number;
  exists: boolean;
  /** A channel, or a DM (CONTRACT §11): its members are fixed, it has no name or topic. */
  kind: "channel" | "dm";
  name: string;
  private: boolean;
  /** Who created the channel: the one member who may remove others. */
  createdBy: string;
  members: string[];
  /**
   * The seq of the last event that changed `members`: a snapshot stores the member set
   * apart, under this seq, and writes it again only when it changes.
   */
  membersSeq: number;
  messageCount: number;
}

export const initialChannelState: ChannelState = {
  version: 0,
  exists: false,
  kind: "channel",
  name: "",
  private: false,
  createdBy: "",
  members: [],
  membersSeq: 0,
  messageCount: 0,
};

export function evolveChannel(state: ChannelState, event: ChannelEvent): ChannelState {
  if (event.seq <= state.version) return state;
  const next = { ...state, version: event.seq };
  switch (event.type) {
    case "channel_created":
      return { ...next, exists: true, name: event.name, private: event.private, createdBy: event.userId, members: [event.userId], membersSeq: event.seq };
    case "dm_opened":
      return { ...next, exists: true, kind: "dm", name: "", private: true, createdBy: event.userId, members: dmMembersOf(event), membersSeq: event.seq };
    case "user_joined_channel":
      return state.members.includes(event.memberId) ? next : { ...next, members: [...state.members, event.memberId], membersSeq: event.seq };
    case "user_left_channel":
      return state.members.includes(leaverOf(event)) ? { ...next, members: state.members.filter((m) => m !== leaverOf(event)), membersSeq: event.seq } : next;
    case "message_sent":
      return { ...next, messageCount: state.messageCount + 1 };
    case "channel_renamed":
      return { ...next, name: event.name };
    case "message_edited":
    case "message_deleted":
    case "reaction_added":
    case "reaction_removed":
    case "channel_topic_set":
      return next;
  }
}

export const foldChannel = (state: ChannelState, events: readonly ChannelEvent[]): ChannelState =>
  events.reduce(evolveChannel, state);

/**
 * A snapshot written before the state had every field above is not used: the stream is
 * folded from its start instead. One without `kind` (written before DMs) is a channel's:
 * loadChannel.ts reads it as such.
 */
export const isCurrentState = (state: Partial<ChannelState>): state is ChannelState => typeof state.createdBy === "string";
