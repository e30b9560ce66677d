/**
 * One thread as the browser holds it: the replies read from the thread's views, and the
 * events about the thread that came after them (pushed, or our own replies once answered).
 * The replies shown are the views' with those events folded on, by the very fold the
 * thread projection uses (`applyToThread`).
 *
 * Which events the views already hold is known from `baseSeq`: the channel's `lastSeq` read
 * just before them. A channel's runner writes its thread documents before its head, so views
 * read after a head at `baseSeq` hold every event of the thread up to it, and maybe some
 * after: those are folded again, harmlessly (a reply already there is skipped, an edit,
 * deletion or reaction applied twice changes nothing more). Pushes come at least once and
 * in any order: they are kept by seq, so a duplicate replaces itself, and folded in order.
 *
 * Pure and immutable, as `timeline.ts` is.
 */
import { type ChannelEvent, threadOf } from "../../../functions/domain/events";
import type { PageMessage } from "../../../functions/domain/projections/channel";
import { applyToThread, type StoredThread } from "../../../functions/domain/projections/thread";

export interface Thread {
  channelId: string;
  /** The thread's top-level message. */
  threadId: string;
  /** The replies the views served, in order; undefined until they were read. */
  base: readonly PageMessage[] | undefined;
  /** The channel's lastSeq read before those views: they hold the thread up to it. */
  baseSeq: number;
  /** Events about the thread after `baseSeq`, by seq. */
  events: ReadonlyMap<number, ChannelEvent>;
}

export const emptyThread = (channelId: string, threadId: string): Thread => ({ channelId, threadId, base: undefined, baseSeq: 0, events: new Map() });

/** Whether an event is about this thread: a reply to it, or an edit, deletion or reaction of one. */
export const isAbout = (t: Thread, event: ChannelEvent): boolean => event.channelId === t.channelId && threadOf(event) === t.threadId;

/** Takes one event about the thread (others are ignored); a duplicate of one held replaces it. */
export function receive(t: Thread, event: ChannelEvent): Thread {
  if (!isAbout(t, event) || event.seq <= t.baseSeq) return t;
  return { ...t, events: new Map([...t.events, [event.seq, event]]) };
}

/** Replies read from the views after the channel's head at `seq`; a read older than the one held is ignored. */
export function rebase(t: Thread, snapshot: { seq: number; replies: readonly PageMessage[] }): Thread {
  if (t.base !== undefined && snapshot.seq < t.baseSeq) return t;
  const events = new Map([...t.events].filter(([seq]) => seq > snapshot.seq));
  return { ...t, base: snapshot.replies, baseSeq: snapshot.seq, events };
}

/** The replies in order, with every held event applied. */
export function repliesOf(t: Thread): PageMessage[] {
  const base = t.base ?? [];
  // The whole thread as one open page, so the projection's fold applies as it stands.
  const stored: StoredThread = {
    channelId: t.channelId,
    threadId: t.threadId,
    replyCount: base.length,
    pageSize: Number.POSITIVE_INFINITY,
    pageCount: base.length ? 1 : 0,
    lastSeq: t.baseSeq,
    places: Object.fromEntries(base.map((m, i) => [m.messageId, i])),
    summary: { replyCount: base.length, lastReplyAt: "", replyUserIds: [] },
    openPage: { channelId: t.channelId, threadId: t.threadId, page: 0, messages: [...base] },
  };
  const views = { threads: new Map([[t.threadId, stored as StoredThread | undefined]]), pages: new Map() };
  for (const event of [...t.events.values()].sort((a, b) => a.seq - b.seq)) {
    const held = views.threads.get(t.threadId)!;
    // A reply the views already served (read after a later head than `baseSeq`) is not added twice.
    if (event.type === "message_sent" && event.messageId in held.places) continue;
    applyToThread(views, event);
  }
  return [...(views.threads.get(t.threadId)?.openPage?.messages ?? [])];
}
