/**
 * Read state (CONTRACT §14): per channel, the `seq` up to which the person has read. The
 * server keeps it (`PUT read-marks/<channelId>`, `readMarks` in `views/users/me`), so every
 * browser and device agrees; the browser holds an optimistic copy that only moves forward.
 *
 * An unread count is a number of messages, and a mark is a seq (joins, renames and edits
 * take seqs too): the count of messages up to a mark is read once from the pages that hold
 * it (`countThrough`), and stays true for that mark, as messages never move.
 */
import type { ChannelHead, ChannelPage } from "../../../functions/domain/projections/channel";

export type Marks = Readonly<Record<string, number>>;

/** How many of a channel's messages have a seq up to `mark`. */
export interface Counted {
  mark: number;
  count: number;
}

/** Where the marks are kept across reloads (per person): a cache of the server's, plus moves not sent yet. */
export interface ReadMarks {
  load(): Record<string, number>;
  save(marks: Record<string, number>): void;
}

/** The later mark of each channel; the same object when `incoming` moves nothing. */
export function mergeMarks(marks: Marks, incoming: Marks): Marks {
  let next = marks;
  for (const [channelId, seq] of Object.entries(incoming)) next = moveMark(next, channelId, seq);
  return next;
}

/** Moves a channel's mark to `seq` (never back). */
export function moveMark(marks: Marks, channelId: string, seq: number): Marks {
  return typeof seq !== "number" || (marks[channelId] ?? 0) >= seq ? marks : { ...marks, [channelId]: seq };
}

/**
 * How many messages have a seq up to `mark`, from some of the channel's pages: the position
 * of the last such message, plus one. Undefined when the pages given start after the mark
 * (an earlier page holds the answer).
 */
export function countThrough(pages: Iterable<ChannelPage>, pageSize: number, mark: number): number | undefined {
  let lowest = Infinity;
  let count: number | undefined;
  for (const page of pages) {
    lowest = Math.min(lowest, page.page);
    page.messages.forEach((m, i) => {
      if (m && m.seq <= mark) count = Math.max(count ?? 0, page.page * pageSize + i + 1);
    });
  }
  return count ?? (lowest === 0 ? 0 : undefined);
}

/** Messages after the mark; a channel never marked is read, and an uncounted mark counts nothing yet. */
export function unreadCount(head: ChannelHead, mark: number | undefined, counted: Counted | undefined): number {
  if (mark === undefined || mark >= head.lastSeq) return 0;
  return counted?.mark === mark ? Math.max(0, head.messageCount - counted.count) : 0;
}

/** Mentions not read yet: after their channel's mark (no mark: not read), and after the list was last opened. */
export function unreadMentions(mentions: readonly { channelId: string; seq: number; sentAt: string }[], marks: Marks, seenUntil: string | undefined): number {
  return mentions.filter((m) => (marks[m.channelId] === undefined || m.seq > marks[m.channelId]!) && (seenUntil === undefined || m.sentAt > seenUntil)).length;
}
