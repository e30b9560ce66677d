/**
 * What a channel's list shows, in seq order: its messages, the joins, leaves, renames and
 * topics between them (the head's `activity`, which pushed events extend with the
 * projection's own fold), and a "New" line above the first message after the read mark the
 * channel had when it was opened. Pure, so where each line goes is testable.
 */
import type { Activity } from "../../../functions/domain/projections/channel";
import type { MessageRow } from "./outbox";

export type ChannelLine =
  | { kind: "message"; row: MessageRow }
  | { kind: "activity"; activity: Activity }
  | { kind: "new" };

/**
 * The lines in order. `complete`: the first loaded message is the channel's first (else
 * activity from before it is left out, as its place is not known). `unreadAfter`: the mark
 * at opening; the "New" line goes above the first message past it.
 */
export function channelLines(rows: readonly MessageRow[], activity: readonly Activity[], complete: boolean, unreadAfter: number | undefined): ChannelLine[] {
  const from = complete ? 0 : (rows[0]?.seq ?? Infinity);
  const pending = activity.filter((a) => a.seq > from).sort((a, b) => a.seq - b.seq);
  const unread = unreadAfter === undefined ? undefined : firstUnread(rows, unreadAfter);
  const lines: ChannelLine[] = [];
  let next = 0;
  for (const row of rows) {
    while (next < pending.length && pending[next]!.seq < row.seq) lines.push({ kind: "activity", activity: pending[next++]! });
    if (row.messageId === unread) lines.push({ kind: "new" });
    lines.push({ kind: "message", row });
  }
  while (next < pending.length) lines.push({ kind: "activity", activity: pending[next++]! });
  return lines;
}

/** The first message stored after the mark (ours still on their way are never unread). */
export function firstUnread(rows: readonly MessageRow[], after: number): string | undefined {
  return rows.find((r) => r.seq > after && r.status === undefined)?.messageId;
}

/** The line's words, with people named by `nameOf`. */
export function activityText(a: Activity, nameOf: (userId: string) => string): string {
  const actor = nameOf(a.userId);
  switch (a.type) {
    case "user_joined_channel":
      return !a.memberId || a.memberId === a.userId ? `${actor} joined` : `${nameOf(a.memberId)} joined, added by ${actor}`;
    case "user_left_channel":
      return !a.memberId || a.memberId === a.userId ? `${actor} left` : `${nameOf(a.memberId)} was removed by ${actor}`;
    case "channel_renamed":
      return `${actor} renamed the channel to #${a.name ?? ""}`;
    case "channel_topic_set":
      return a.topic ? `${actor} set the topic: ${a.topic}` : `${actor} cleared the topic`;
  }
}
