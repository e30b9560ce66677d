/**
 * The channel directory (`views/channels`): one entry per channel, each carrying the
 * `lastSeq` of its channel stream, which is also this projection's checkpoint for it.
 */
import type { ChannelEvent } from "../events";

export interface DirectoryEntry {
  channelId: string;
  name: string;
  topic: string;
  private: boolean;
  memberCount: number;
  lastSeq: number;
}

export interface Directory {
  channels: DirectoryEntry[];
}

export const emptyDirectory: Directory = { channels: [] };

export function checkpointOf(directory: Directory, channelId: string): number {
  return directory.channels.find((c) => c.channelId === channelId)?.lastSeq ?? 0;
}

export function applyToEntry(entry: DirectoryEntry | undefined, event: ChannelEvent): DirectoryEntry | undefined {
  if (event.type === "channel_created") {
    return entry ?? {
      channelId: event.channelId,
      name: event.name,
      topic: event.topic,
      private: event.private,
      memberCount: 1,
      lastSeq: event.seq,
    };
  }
  if (!entry || event.seq <= entry.lastSeq) return entry;
  // Joins and leaves always change membership: the store refuses a join of a member.
  const delta = event.type === "user_joined_channel" ? 1 : event.type === "user_left_channel" ? -1 : 0;
  return { ...entry, memberCount: entry.memberCount + delta, lastSeq: event.seq };
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
