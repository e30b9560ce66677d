/**
 * A thread's view: the replies to one top-level message, paged as a channel's messages are
 * (CONTRACT §9). A reply's place in its thread is given by the fold: the channel's runner
 * applies a channel's events once each, in seq order, so the n-th reply folded is reply n.
 * Each thread document keeps the seq of the last event it holds, so a run folding again
 * over a document that a crashed run already wrote skips what it holds.
 *
 * The thread's head holds its open page (the last, not yet full), as a channel's head does;
 * a page gets a document of its own when it is sealed. An edit or deletion of a reply on a
 * sealed page rewrites that page (rare: a thread's pages are not a channel's history).
 */
import { type ChannelEvent, threadOf } from "../events";
import type { PageMessage } from "./channel";
import { applyReaction, isReactionEvent } from "./reactions";

export const threadPageSize = 50;

/** What `views/channels/<id>/threads/<messageId>` answers. */
export interface ThreadHead {
  channelId: string;
  threadId: string;
  replyCount: number;
  pageSize: number;
  pageCount: number;
}

export interface ThreadPage {
  channelId: string;
  threadId: string;
  page: number;
  messages: PageMessage[];
  /**
   * A sealed page's own checkpoint: the last event it holds. Changes to its replies are
   * skipped by it, not by the thread head's (written apart, and maybe by another run).
   */
  lastSeq?: number;
}

/** The thread's summary its root shows on the channel's page. */
export interface ThreadSummary {
  replyCount: number;
  lastReplyAt: string;
  /** Distinct, first replier first. */
  replyUserIds: string[];
}

/** The thread's head as stored: with its open page, where each reply is, and its summary. */
export interface StoredThread extends ThreadHead {
  lastSeq: number;
  /** Each reply's place in the thread, by messageId: where an edit finds it. */
  places: Record<string, number>;
  summary: ThreadSummary;
  openPage?: ThreadPage;
}

/** The documents one run works on: thread heads and the sealed pages it touched, by thread. */
export interface ThreadViews {
  threads: Map<string, StoredThread | undefined>;
  /** Sealed pages, by `threadPageKey`. */
  pages: Map<string, ThreadPage | undefined>;
}

export const threadPageKey = (threadId: string, page: number) => `${threadId}#${page}`;

/** The sealed page an event changes, if it changes one (the runner loads it first). */
export function sealedPageFor(thread: StoredThread | undefined, event: ChannelEvent): number | undefined {
  if (!thread || event.type === "message_sent" || !("messageId" in event)) return undefined;
  const place = thread.places[event.messageId];
  if (place === undefined) return undefined;
  const page = Math.floor(place / thread.pageSize);
  return thread.openPage?.page === page ? undefined : page;
}

/** Folds a reply, or an edit or deletion of one, into its thread's documents. */
export function applyToThread(views: ThreadViews, event: ChannelEvent): void {
  const threadId = threadOf(event);
  if (threadId === undefined || !("messageId" in event)) return;
  const thread = views.threads.get(threadId);
  if (event.type === "message_sent") {
    if (!thread || event.seq > thread.lastSeq) addReply(views, threadId, thread, event);
    return;
  }
  if (!thread) return;
  const place = thread.places[event.messageId];
  const next = { ...thread, lastSeq: Math.max(thread.lastSeq, event.seq) };
  if (place === undefined) return void views.threads.set(threadId, next);
  const change = (m: PageMessage): PageMessage => {
    if (m.messageId !== event.messageId || m.deleted) return m;
    if (event.type === "message_edited") return { ...m, text: event.text, editedAt: event.timestamp };
    if (event.type === "message_deleted") return { seq: m.seq, messageId: m.messageId, userId: m.userId, text: "", sentAt: m.sentAt, deleted: true };
    if (!isReactionEvent(event)) return m;
    const { reactions: _, ...rest } = m;
    const reactions = applyReaction(m.reactions ?? [], event);
    return reactions.length === 0 ? rest : { ...rest, reactions: [...reactions] };
  };
  const page = Math.floor(place / thread.pageSize);
  if (thread.openPage?.page === page) {
    if (event.seq <= thread.lastSeq) return;
    views.threads.set(threadId, { ...next, openPage: { ...thread.openPage, messages: thread.openPage.messages.map(change) } });
    return;
  }
  const key = threadPageKey(threadId, page);
  const sealed = views.pages.get(key);
  if (!sealed || event.seq <= (sealed.lastSeq ?? 0)) return;
  views.pages.set(key, { ...sealed, messages: sealed.messages.map(change), lastSeq: event.seq });
  views.threads.set(threadId, next);
}

function addReply(views: ThreadViews, threadId: string, thread: StoredThread | undefined, event: Extract<ChannelEvent, { type: "message_sent" }>): void {
  const base = thread ?? emptyThread(event.channelId, threadId);
  const place = base.replyCount;
  const page = Math.floor(place / base.pageSize);
  const reply: PageMessage = { seq: event.seq, messageId: event.messageId, userId: event.userId, text: event.text, sentAt: event.timestamp };
  const open = base.openPage?.page === page ? base.openPage : { channelId: event.channelId, threadId, page, messages: [] };
  const filled = { ...open, messages: [...open.messages, reply] };
  const sealed = filled.messages.length === base.pageSize;
  if (sealed) views.pages.set(threadPageKey(threadId, page), { ...filled, lastSeq: event.seq });
  const replyUserIds = base.summary.replyUserIds.includes(event.userId) ? base.summary.replyUserIds : [...base.summary.replyUserIds, event.userId];
  const { openPage: _, ...rest } = base;
  views.threads.set(threadId, {
    ...rest,
    replyCount: place + 1,
    pageCount: page + 1,
    lastSeq: event.seq,
    places: { ...base.places, [event.messageId]: place },
    summary: { replyCount: place + 1, lastReplyAt: event.timestamp, replyUserIds },
    ...(sealed ? {} : { openPage: filled }),
  });
}

function emptyThread(channelId: string, threadId: string): StoredThread {
  return { channelId, threadId, replyCount: 0, pageSize: threadPageSize, pageCount: 0, lastSeq: 0, places: {}, summary: { replyCount: 0, lastReplyAt: "", replyUserIds: [] } };
}

/** The head as readers get it: the contract's fields only. */
export function publicThread(stored: StoredThread): ThreadHead {
  const { channelId, threadId, replyCount, pageSize, pageCount } = stored;
  return { channelId, threadId, replyCount, pageSize, pageCount };
}
