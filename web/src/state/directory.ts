/**
 * The channel directory as the browser holds it: the view (`views/channels`), kept current
 * between reads by the pushed events, with the directory projection's own fold.
 */
import type { ChannelEvent } from "../../../functions/domain/events";
import { applyToDirectory, type DirectoryEntry } from "../../../functions/domain/projections/directory";

/** Applies a pushed event: a new public channel appears, member counts move. */
export function applyPushed(directory: readonly DirectoryEntry[] | undefined, event: ChannelEvent): readonly DirectoryEntry[] | undefined {
  if (event.type !== "channel_created" && !directory?.some((c) => c.channelId === event.channelId)) return directory;
  const next = applyToDirectory({ channels: [...(directory ?? [])] }, [event]).channels;
  return directory && next.length === directory.length && next.every((e, i) => e === directory[i]) ? directory : next;
}

/** Per channel, the entry with the later lastSeq (the view's on a tie); entries only one side has are kept (the view lags). */
export function mergeDirectory(local: readonly DirectoryEntry[], read: readonly DirectoryEntry[]): DirectoryEntry[] {
  const byId = new Map(local.map((e) => [e.channelId, e]));
  for (const entry of read) {
    const mine = byId.get(entry.channelId);
    if (!mine || mine.lastSeq <= entry.lastSeq) byId.set(entry.channelId, entry);
  }
  return [...byId.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.channelId < b.channelId ? -1 : 1));
}
