/**
 * One channel as the browser holds it: the head, the pages loaded so far, and the events
 * that arrived out of order. Events are applied with the very folds the channel projection
 * uses, strictly in `seq` order: a duplicate is dropped, an event after a gap waits until
 * the gap is filled, either by the missing events or by a snapshot of the views.
 *
 * Pure and immutable: every function returns a new timeline (or the same one when nothing
 * changed), so a UI can compare by identity.
 */
import type { ChannelEvent } from "../../../functions/domain/events";
import {
  applyChannelEvent,
  applyToHead,
  type ChannelHead,
  type ChannelPage,
  mergeEdits,
  type PageEdits,
  type PageMessage,
} from "../../../functions/domain/projections/channel";

export interface Timeline {
  channelId: string;
  /** Undefined until the head view (or the channel's creation) has been seen. */
  head: ChannelHead | undefined;
  /** Loaded pages; undefined when only the head is followed (a channel not on screen). */
  pages: ReadonlyMap<number, ChannelPage> | undefined;
  /** Changes to messages of sealed pages, merged in when reading (as the views API does). */
  edits: ReadonlyMap<number, PageEdits>;
  /** The lowest page loaded (meaningful when `pages` is defined). */
  oldestPage: number;
  /** Events past a gap, by seq. */
  waiting: ReadonlyMap<number, ChannelEvent>;
  /** The events applied most recently, replayed onto a snapshot that is older than the head. */
  applied: readonly ChannelEvent[];
  /** The highest seq known to exist (from pushes, our own writes, the directory). */
  knownSeq: number;
}

/** A snapshot read from the views: the head, with the pages from `oldestPage` on when following pages (else head only). */
export interface Snapshot {
  head: ChannelHead;
  pages?: ChannelPage[];
}

const keepApplied = 1000;

export const emptyTimeline = (channelId: string): Timeline => ({
  channelId,
  head: undefined,
  pages: undefined,
  edits: new Map(),
  oldestPage: 0,
  waiting: new Map(),
  applied: [],
  knownSeq: 0,
});

export const lastSeq = (t: Timeline): number => t.head?.lastSeq ?? 0;

/** True when a seq is known to exist that the timeline has not applied: time to read the views. */
export const isBehind = (t: Timeline): boolean => t.knownSeq > lastSeq(t);

export const hasEarlier = (t: Timeline): boolean => t.pages !== undefined && t.oldestPage > 0;

export function noteSeq(t: Timeline, seq: number): Timeline {
  return seq > t.knownSeq ? { ...t, knownSeq: seq } : t;
}

/** Takes one pushed event: applies it, drops it as a duplicate, or keeps it until the gap before it is filled. */
export function receive(t: Timeline, event: ChannelEvent): Timeline {
  if (event.seq <= lastSeq(t) || t.waiting.has(event.seq)) return t;
  const noted = noteSeq(t, event.seq);
  if (!t.head && event.type !== "channel_created" && event.type !== "dm_opened") return { ...noted, waiting: withEntry(t.waiting, event) };
  if (t.head && event.seq !== t.head.lastSeq + 1) return { ...noted, waiting: withEntry(t.waiting, event) };
  return drain(apply(noted, event));
}

/**
 * Rebuilds the timeline on a snapshot of the views, then replays what it already knew past
 * the snapshot. A snapshot older than the events kept for replay is ignored.
 */
export function rebase(t: Timeline, snapshot: Snapshot): Timeline {
  const from = snapshot.head.lastSeq;
  const known = [...t.applied, ...t.waiting.values()].filter((e) => e.seq > from).sort((a, b) => a.seq - b.seq);
  const coversGap = from >= lastSeq(t) || known[0]?.seq === from + 1;
  if (!coversGap) return t;
  const pages = snapshot.pages;
  const base: Timeline = {
    channelId: t.channelId,
    head: snapshot.head,
    pages: pages && new Map(pages.map((p) => [p.page, p])),
    edits: new Map(),
    oldestPage: pages?.length ? Math.min(...pages.map((p) => p.page)) : snapshot.head.pageCount,
    waiting: new Map(),
    applied: [],
    knownSeq: Math.max(t.knownSeq, from),
  };
  return known.reduce(receive, base);
}

/** The pages a snapshot at `head` must hold: the latest on first opening, else every page from the oldest loaded on. */
export function pagesToRead(t: Timeline, head: ChannelHead): number[] {
  const latest = head.pageCount - 1;
  if (latest < 0) return [];
  const from = t.pages ? Math.max(0, Math.min(t.oldestPage, latest)) : latest;
  return Array.from({ length: latest - from + 1 }, (_, i) => from + i);
}

/** Adds an earlier page read from the views (the one before `oldestPage`). */
export function addEarlierPage(t: Timeline, page: ChannelPage): Timeline {
  if (!t.pages || page.page !== t.oldestPage - 1) return t;
  return { ...t, pages: new Map([...t.pages, [page.page, page]]), oldestPage: page.page };
}

/** Stops following pages (the channel left the screen); the head stays current. */
export function dropPages(t: Timeline): Timeline {
  return t.pages === undefined ? t : { ...t, pages: undefined, edits: new Map(), oldestPage: 0 };
}

/** The loaded messages in order, with later edits merged in, as the views API would serve them. */
export function messagesOf(t: Timeline): PageMessage[] {
  if (!t.pages || !t.head) return [];
  const out: PageMessage[] = [];
  const last = Math.max(t.head.pageCount - 1, ...t.pages.keys());
  for (let n = t.oldestPage; n <= last; n++) {
    const page = t.pages.get(n);
    if (page) for (const m of mergeEdits(page, t.edits.get(n)).messages) if (m) out.push(m);
  }
  return out;
}

function apply(t: Timeline, event: ChannelEvent): Timeline {
  const applied = [...t.applied.slice(-(keepApplied - 1)), event];
  if (!t.pages) return { ...t, head: applyToHead(t.head, event), applied };
  const views = { head: t.head, pages: new Map(t.pages), edits: new Map(t.edits) };
  applyChannelEvent(views, event);
  const pages = new Map<number, ChannelPage>();
  for (const [n, page] of views.pages) if (page) pages.set(n, page);
  const edits = new Map<number, PageEdits>();
  for (const [n, doc] of views.edits) if (doc) edits.set(n, doc);
  return { ...t, head: views.head, pages, edits, applied };
}

function drain(t: Timeline): Timeline {
  let next = t;
  for (let e = next.waiting.get(lastSeq(next) + 1); e; e = next.waiting.get(lastSeq(next) + 1)) {
    const waiting = new Map(next.waiting);
    waiting.delete(e.seq);
    next = apply({ ...next, waiting }, e);
  }
  return next;
}

function withEntry(waiting: ReadonlyMap<number, ChannelEvent>, event: ChannelEvent): Map<number, ChannelEvent> {
  return new Map([...waiting, [event.seq, event]]);
}
