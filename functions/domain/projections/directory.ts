/**
 * The channel directory (`views/channels`): one entry document per channel, folded from
 * its own stream, so that channels never contend with one another for a write. Its
 * `lastSeq` is this projection's checkpoint in the stream; readers show the channel
 * view's own `lastSeq` instead (the directory receives only the events that change an
 * entry, not messages). A listing of every channel's id and privacy, written only when a
 * channel is created, lets readers find the entries they may see.
 */
import { type ChannelEvent, dmMembersOf, leaverOf } from "../events";

export interface DirectoryEntry {
  channelId: string;
  /** A channel or a DM (CONTRACT §11); absent in entries folded before DMs, which are channels'. */
  kind?: "channel" | "dm";
  name: string;
  topic: string;
  private: boolean;
  memberCount: number;
  lastSeq: number;
  /** A private channel's members, as its stream has them: readers check the caller against it. Not shown. */
  members?: string[];
}

export interface Directory {
  channels: DirectoryEntry[];
}

export const emptyDirectory: Directory = { channels: [] };

export interface Listing {
  channels: { channelId: string; private: boolean }[];
}

export const emptyListing: Listing = { channels: [] };

/** Lists a channel (once): by id, so two creations in parallel land in the same order. */
export function listChannel(listing: Listing, entry: Pick<DirectoryEntry, "channelId" | "private">): Listing {
  if (listing.channels.some((c) => c.channelId === entry.channelId)) return listing;
  const channels = [...listing.channels, { channelId: entry.channelId, private: entry.private }];
  return { channels: channels.sort((a, b) => (a.channelId < b.channelId ? -1 : 1)) };
}

/** Folds a channel's events (in seq order, possibly overlapping what the entry holds) into its entry. */
export const foldEntry = (entry: DirectoryEntry | undefined, events: readonly ChannelEvent[]): DirectoryEntry | undefined => events.reduce(applyToEntry, entry);

export const sortEntries = (entries: readonly DirectoryEntry[]): DirectoryEntry[] => [...entries].sort(byNameThenId);

export function applyToEntry(entry: DirectoryEntry | undefined, event: ChannelEvent): DirectoryEntry | undefined {
  if (event.type === "channel_created") {
    return entry ?? {
      channelId: event.channelId,
      kind: "channel",
      name: event.name,
      topic: event.topic,
      private: event.private,
      memberCount: 1,
      lastSeq: event.seq,
      ...(event.private ? { members: [event.userId] } : {}),
    };
  }
  if (event.type === "dm_opened") {
    const members = dmMembersOf(event);
    return entry ?? { channelId: event.channelId, kind: "dm", name: "", topic: "", private: true, memberCount: members.length, lastSeq: event.seq, members };
  }
  if (!entry || event.seq <= entry.lastSeq) return entry;
  // Joins and leaves always change membership: the store refuses a join of a member.
  const delta = event.type === "user_joined_channel" ? 1 : event.type === "user_left_channel" ? -1 : 0;
  const renamed = event.type === "channel_renamed" ? { name: event.name } : event.type === "channel_topic_set" ? { topic: event.topic } : {};
  const next = { ...entry, ...renamed, memberCount: entry.memberCount + delta, lastSeq: event.seq };
  if (!entry.members) return next;
  if (event.type === "user_joined_channel") return { ...next, members: [...entry.members.filter((m) => m !== event.memberId), event.memberId] };
  if (event.type === "user_left_channel") return { ...next, members: entry.members.filter((m) => m !== leaverOf(event)) };
  return next;
}

export function applyToDirectory(directory: Directory, events: readonly ChannelEvent[]): Directory {
  const first = events[0];
  if (!first) return directory;
  const current = directory.channels.find((c) => c.channelId === first.channelId);
  const entry = events.reduce(applyToEntry, current);
  if (!entry || entry === current) return directory;
  const others = directory.channels.filter((c) => c.channelId !== entry.channelId);
  return { channels: [...others, entry].sort(byNameThenId) };
}

const byNameThenId = (a: DirectoryEntry, b: DirectoryEntry) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0;
