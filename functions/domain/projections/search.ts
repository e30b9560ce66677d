/**
 * The search index of one channel (CONTRACT §12), folded from its stream.
 *
 * A channel's open page already sits in its head, and a sealed page never changes
 * (channel.ts). So the index stores nothing per message while its page is open: queries
 * read the open page from the channel's head. When a page seals, its messages, with the
 * replies sent since the last segment, become an immutable segment, written once. Eight
 * segments of a level merge into one of the next, so a query reads few of them, and a
 * message is rewritten only a handful of times in its life. Changes to messages already
 * in a segment (edits, deletions) wait in the head's overlay until their segment merges.
 *
 * The head is written only when what queries read from it changed (a segment, a reply, an
 * overlay entry), or every `checkpointEvery` events: a top-level message costs nothing.
 */
import type { ChannelEvent, MessageDeleted, MessageEdited, MessageSent } from "../events";
import { hasLink } from "../search/match";
import { words } from "../search/words";
import { pageOf } from "./channel";
import { viewKeys } from "./keys";

/** A message as the index holds it; short names, as there are many. */
export interface IndexEntry {
  /** messageId */
  m: string;
  /** seq of its `message_sent` */
  s: number;
  /** userId */
  u: string;
  /** sentAt */
  a: string;
  /** editedAt */
  e?: string;
  /** threadId: a reply's */
  t?: string;
  /** position: a top-level message's place in the channel */
  p?: number;
  /** text */
  x: string;
  /** its words (words.ts), joined by spaces */
  w: string;
  /** 1 when the text holds a link */
  l?: 1;
}

export type Overlay = { x: string; w: string; e: string; l?: 1 } | { d: 1 };

export interface SegmentRef {
  key: string;
  level: number;
  count: number;
}

export interface Segment {
  channelId: string;
  entries: IndexEntry[];
}

export interface SearchHead {
  channelId: string;
  lastSeq: number;
  /** Pages 0 … sealedPages-1 of the channel are in segments. */
  sealedPages: number;
  /** Oldest first. */
  segments: SegmentRef[];
  /** Top-level messages of the pages not sealed yet, as folded (kept to make their segment). */
  open: IndexEntry[];
  /** Replies since the last segment. */
  replies: IndexEntry[];
  /** Changes to messages in segments, by messageId. */
  overlay: Record<string, Overlay>;
}

/** Segments of a level that merge into one of the next. */
export const mergeFanIn = 8;
/** Replies that make a segment of their own in a channel whose page stays open (or fewer, long ones). */
export const repliesPerSegment = 200;
export const repliesLimitBytes = 128 * 1024;
const entriesBytes = (entries: readonly IndexEntry[]) => entries.reduce((n, e) => n + 2 * (e.x.length + e.w.length) + 120, 0);

export const emptySearchHead = (channelId: string): SearchHead => ({ channelId, lastSeq: 0, sealedPages: 0, segments: [], open: [], replies: [], overlay: {} });

export function entryOf(event: MessageSent): IndexEntry {
  const entry: IndexEntry = { m: event.messageId, s: event.seq, u: event.userId, a: event.timestamp, x: event.text, w: words(event.text).join(" ") };
  if (event.threadId !== undefined) entry.t = event.threadId;
  else entry.p = event.position;
  if (hasLink(event.text)) entry.l = 1;
  return entry;
}

export interface Folded {
  head: SearchHead;
  /** Whether queries would read something new from the head. */
  changed: boolean;
  /** Level-0 segments made, to write before the head. */
  made: { ref: SegmentRef; segment: Segment }[];
}

/**
 * A segment's name says what it holds: a sealed page (`p3`), replies up to a seq (`r812`),
 * or a merge (`m1-p7`: level 1, ending with p7's). The runner adds a hash of the content
 * (`p3.<hash>`), so one key never holds two contents: readers cache segments by key.
 */
const segmentKey = viewKeys.searchSegment;
const nameOf = (key: string) => key.slice(key.lastIndexOf("/") + 1).split(".")[0] ?? "";

/** Folds one event; events at or before the head's seq change nothing. */
export function foldSearch(head: SearchHead, event: ChannelEvent): Folded {
  const unchanged = { head, changed: false, made: [] };
  if (event.seq <= head.lastSeq) return unchanged;
  const next = { ...head, lastSeq: event.seq };
  switch (event.type) {
    case "message_sent":
      return event.threadId === undefined ? sent(next, event) : replied(next, event);
    case "message_edited":
    case "message_deleted":
      return changed(next, event);
    default:
      return { ...unchanged, head: next };
  }
}

function sent(head: SearchHead, event: MessageSent): Folded {
  const made: Folded["made"] = [];
  let next = head;
  // The message opens a later page: the pages before it are full, sealed for good.
  while (pageOf(event.position) > next.sealedPages) {
    const page = next.sealedPages;
    const entries = [...next.open.filter((e) => pageOf(e.p ?? 0) === page), ...next.replies];
    const segment = { channelId: head.channelId, entries };
    const ref = { key: segmentKey(head.channelId, `p${page}`), level: 0, count: entries.length };
    made.push({ ref, segment });
    next = { ...next, sealedPages: page + 1, open: next.open.filter((e) => pageOf(e.p ?? 0) !== page), replies: [], segments: [...next.segments, ref] };
  }
  next = { ...next, open: [...next.open, entryOf(event)] };
  return { head: next, changed: made.length > 0, made };
}

function replied(head: SearchHead, event: MessageSent): Folded {
  const replies = [...head.replies, entryOf(event)];
  if (replies.length < repliesPerSegment && entriesBytes(replies) < repliesLimitBytes) return { head: { ...head, replies }, changed: true, made: [] };
  const ref = { key: segmentKey(head.channelId, `r${event.seq}`), level: 0, count: replies.length };
  return { head: { ...head, replies: [], segments: [...head.segments, ref] }, changed: true, made: [{ ref, segment: { channelId: head.channelId, entries: replies } }] };
}

function changed(head: SearchHead, event: MessageEdited | MessageDeleted): Folded {
  const apply = (e: IndexEntry) => (event.type === "message_deleted" ? undefined : edited(e, event));
  if (event.threadId === undefined && pageOf(event.position) >= head.sealedPages) {
    // Its page is open: queries read it from the channel's head, this only keeps the fold.
    return { head: { ...head, open: replaced(head.open, event.messageId, apply) }, changed: false, made: [] };
  }
  if (event.threadId !== undefined && head.replies.some((e) => e.m === event.messageId)) {
    return { head: { ...head, replies: replaced(head.replies, event.messageId, apply) }, changed: true, made: [] };
  }
  const overlay: Overlay = event.type === "message_deleted" ? { d: 1 } : { x: event.text, w: words(event.text).join(" "), e: event.timestamp, ...(hasLink(event.text) ? { l: 1 as const } : {}) };
  if ("d" in (head.overlay[event.messageId] ?? {})) return { head, changed: false, made: [] };
  return { head: { ...head, overlay: { ...head.overlay, [event.messageId]: overlay } }, changed: true, made: [] };
}

function edited(entry: IndexEntry, event: MessageEdited): IndexEntry {
  const { l: _, ...rest } = entry;
  return { ...rest, x: event.text, w: words(event.text).join(" "), e: event.timestamp, ...(hasLink(event.text) ? { l: 1 as const } : {}) };
}

function replaced(entries: IndexEntry[], messageId: string, change: (e: IndexEntry) => IndexEntry | undefined): IndexEntry[] {
  return entries.flatMap((e) => {
    if (e.m !== messageId) return [e];
    const next = change(e);
    return next ? [next] : [];
  });
}

/** An entry as it reads now, the overlay applied; undefined once deleted. */
export function current(entry: IndexEntry, overlay: Record<string, Overlay>): IndexEntry | undefined {
  const change = overlay[entry.m];
  if (!change) return entry;
  if ("d" in change) return undefined;
  const { l: _, ...rest } = entry;
  return { ...rest, ...change };
}

/** The oldest `mergeFanIn` segments of the lowest level that has that many, if one has. */
export function mergeable(head: SearchHead): SegmentRef[] | undefined {
  const levels = [...new Set(head.segments.map((s) => s.level))].sort((a, b) => a - b);
  for (const level of levels) {
    const group = head.segments.filter((s) => s.level === level);
    if (group.length >= mergeFanIn) return group.slice(0, mergeFanIn);
  }
  return undefined;
}

/** One segment of the next level in place of `group`, with the overlay's changes to them applied (and taken from the overlay). */
export function merge(head: SearchHead, group: SegmentRef[], segments: Segment[]): { head: SearchHead; ref: SegmentRef; segment: Segment } {
  const overlay = { ...head.overlay };
  const entries: IndexEntry[] = [];
  for (const entry of segments.flatMap((s) => s.entries)) {
    const now = current(entry, overlay);
    delete overlay[entry.m];
    if (now) entries.push(now);
  }
  const level = Math.max(...group.map((s) => s.level)) + 1;
  const ref = { key: segmentKey(head.channelId, `m${level}-${nameOf(group[group.length - 1]?.key ?? "")}`), level, count: entries.length };
  const merged = new Set(group.map((s) => s.key));
  const at = head.segments.findIndex((s) => merged.has(s.key));
  const segmentsLeft = head.segments.filter((s) => !merged.has(s.key));
  segmentsLeft.splice(at, 0, ref);
  return { head: { ...head, segments: segmentsLeft, overlay }, ref, segment: { channelId: head.channelId, entries } };
}

/** The overlay's size past which the segments it changes are rewritten (`compact`): the head is rewritten often, so it stays small. */
export const overlayLimitBytes = 256 * 1024;

export const overlayBytes = (overlay: Record<string, Overlay>) =>
  Object.entries(overlay).reduce((n, [id, o]) => n + id.length + ("d" in o ? 8 : 2 * (o.x.length + o.w.length) + 40), 0);

/**
 * The segments the overlay changes, rewritten with the changes in (same level and name,
 * new content), and the overlay emptied: what merging does, for changes to messages
 * whose segments would not merge for a long time. Overlay entries of messages no segment
 * holds are dropped (none should be).
 */
export function compact(head: SearchHead, stored: { ref: SegmentRef; segment: Segment }[]): { head: SearchHead; made: { ref: SegmentRef; segment: Segment }[] } {
  const made: { ref: SegmentRef; segment: Segment }[] = [];
  const replaced = new Map<string, SegmentRef>();
  for (const { ref, segment } of stored) {
    if (!segment.entries.some((e) => head.overlay[e.m])) continue;
    const entries = segment.entries.flatMap((e) => current(e, head.overlay) ?? []);
    const next = { key: segmentKey(head.channelId, nameOf(ref.key)), level: ref.level, count: entries.length };
    made.push({ ref: next, segment: { channelId: head.channelId, entries } });
    replaced.set(ref.key, next);
  }
  return { head: { ...head, overlay: {}, segments: head.segments.map((s) => replaced.get(s.key) ?? s) }, made };
}
