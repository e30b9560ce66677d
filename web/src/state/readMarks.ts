/**
 * How far each channel has been read, as a message count: the unread count of a channel is
 * its head's `messageCount` minus its mark. A channel seen for the first time starts fully
 * read; the channel on screen (in a visible tab) is read as messages arrive.
 */
import type { Timeline } from "./timeline";

export type Marks = Readonly<Record<string, number>>;

/** Where the marks are kept across reloads (per person). */
export interface ReadMarks {
  load(): Record<string, number>;
  save(marks: Record<string, number>): void;
}

/** The marks after looking at the timelines; the same object when nothing moved. */
export function advanceReadMarks(marks: Marks, timelines: ReadonlyMap<string, Timeline>, userId: string, onScreen: string | undefined): Marks {
  let next = marks;
  for (const [channelId, t] of timelines) {
    const count = t.head?.messageCount;
    if (count === undefined || !t.head?.members.includes(userId)) continue;
    if (next[channelId] === undefined || (channelId === onScreen && next[channelId] !== count)) next = { ...next, [channelId]: count };
  }
  return next;
}

/** Marks a channel read up to `count` messages (never back). */
export function readUpTo(marks: Marks, channelId: string, count: number): Marks {
  return (marks[channelId] ?? 0) >= count ? marks : { ...marks, [channelId]: count };
}
