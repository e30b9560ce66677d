/**
 * The channel view: a head document and fixed-size pages of messages.
 *
 * A message's page is `floor(position / pageSize)`; a page is sealed once it holds
 * `pageSize` messages. Sealed pages are never written again: later edits, deletions and
 * reactions of their messages go to the page's edits document, which readers merge in. So the cost of
 * a message never depends on how many came before it. The open page (the last, not yet
 * full) is stored inside the head document, so a message costs one write, not two; it gets
 * a document of its own when it is sealed.
 *
 * Every function here is a fold step: applying an event twice, or to a page that a crashed
 * run already wrote, yields the same documents (messages are placed by position).
 */
import { type ChannelEvent, dmMembersOf, leaverOf } from "../events";
import { changesMessage, editInPage, type PageEdits, recordEdit } from "./messageChanges";
import type { Reaction } from "./reactions";

export { applyEdit, changesMessage, type MessageEdit, mergeEdits, type PageEdits } from "./messageChanges";

export const pageSize = 50;

export interface ChannelHead {
  channelId: string;
  /** A channel or a DM (CONTRACT §11); absent in heads folded before DMs, which are channels'. */
  kind?: "channel" | "dm";
  name: string;
  topic: string;
  private: boolean;
  createdBy: string;
  createdAt: string;
  members: string[];
  lastSeq: number;
  messageCount: number;
  pageSize: number;
  pageCount: number;
  /**
   * The channel's latest goings-on other than messages (joins, leaves, renames, topics),
   * at most `activityKept`, oldest first: the web shows them as lines between messages.
   */
  activity?: Activity[];
}

/** The head without its member list: what a message changes (storedHead.ts keeps a big channel's members apart). */
export type HeadCore = Omit<ChannelHead, "members">;

/** A join, leave, rename or topic, as the channel shows it between its messages (by seq). */
export interface Activity {
  seq: number;
  type: "user_joined_channel" | "user_left_channel" | "channel_renamed" | "channel_topic_set";
  userId: string;
  at: string;
  /** Who joined or left (joins and leaves). */
  memberId?: string;
  name?: string;
  topic?: string;
}

export const activityKept = 20;

/** A thread's root, on its page: its replies (thread.ts has them), the last one's time, and who replied, first replier first. */
export interface RootOfThread {
  replyCount?: number;
  lastReplyAt?: string;
  replyUserIds?: string[];
}

export interface PageMessage extends RootOfThread {
  seq: number;
  messageId: string;
  userId: string;
  text: string;
  sentAt: string;
  editedAt?: string;
  deleted?: true;
  /** Absent while nobody has reacted (reactions.ts); a tombstone has none. */
  reactions?: Reaction[];
}

export interface ChannelPage {
  channelId: string;
  page: number;
  /**
   * By position in the channel. A slot can be empty (null in JSON) where the store skipped
   * a position: versions before 2026-11-27 could, under overload (appendEvent's snapshot);
   * events are immutable, so the fold keeps the slot and readers leave it out.
   */
  messages: (PageMessage | null)[];
}

/** The page not yet full, if any: the last one. */
export function openPageOf(head: HeadCore): number | undefined {
  const last = head.pageCount - 1;
  return last >= 0 && !isSealed(head, last) ? last : undefined;
}

/** The documents one catch-up run works on; absent pages are loaded before they are needed. */
export interface ChannelViews<H extends HeadCore = ChannelHead> {
  head: H | undefined;
  pages: Map<number, ChannelPage | undefined>;
  edits: Map<number, PageEdits | undefined>;
}

export const pageOf = (position: number, size = pageSize) => Math.floor(position / size);
export const isSealed = (head: HeadCore, page: number) => head.messageCount >= (page + 1) * head.pageSize;

/** The documents an event touches, so the runner can load them before folding. */
export function documentsFor(head: HeadCore | undefined, event: ChannelEvent): { page?: number; edits?: number } {
  if (event.type === "message_sent" && event.threadId === undefined) return { page: pageOf(event.position, head?.pageSize) };
  if (!changesMessage(event)) return {};
  const page = pageOf(event.position, head?.pageSize);
  return head && isSealed(head, page) ? { page, edits: page } : { page };
}

/** The head with its members, as readers (and the browser's timeline) hold it. */
export function applyToHead(head: ChannelHead | undefined, event: ChannelEvent): ChannelHead | undefined {
  const before = head && coreOf(head);
  const after = applyToCore(before, event);
  if (after === before || !after) return head;
  return withMembers(after, { members: applyToMembers(head?.members ?? [], event) });
}

/** Everything of the head but its members. */
export function applyToCore(head: HeadCore | undefined, event: ChannelEvent): HeadCore | undefined {
  if (event.type === "channel_created") {
    if (head) return head;
    return {
      channelId: event.channelId,
      kind: "channel",
      name: event.name,
      topic: event.topic,
      private: event.private,
      createdBy: event.userId,
      createdAt: event.timestamp,
      lastSeq: event.seq,
      messageCount: 0,
      pageSize,
      pageCount: 0,
    };
  }
  if (event.type === "dm_opened") {
    if (head) return head;
    return { channelId: event.channelId, kind: "dm", name: "", topic: "", private: true, createdBy: event.userId, createdAt: event.timestamp, lastSeq: event.seq, messageCount: 0, pageSize, pageCount: 0 };
  }
  if (!head || event.seq <= head.lastSeq) return head;
  const activity = activityOf(event);
  const next = activity ? { ...head, lastSeq: event.seq, activity: [...(head.activity ?? []), activity].slice(-activityKept) } : { ...head, lastSeq: event.seq };
  switch (event.type) {
    case "channel_renamed":
      return { ...next, name: event.name };
    case "channel_topic_set":
      return { ...next, topic: event.topic };
    case "message_sent": {
      if (event.threadId !== undefined) return next; // a reply is not among the channel's messages
      const messageCount = Math.max(head.messageCount, event.position + 1);
      return { ...next, messageCount, pageCount: Math.ceil(messageCount / head.pageSize) };
    }
    default:
      return next;
  }
}

/** The member list after an event (the same list when the event changes none). */
export function applyToMembers(members: string[], event: ChannelEvent): string[] {
  switch (event.type) {
    case "channel_created":
      return [event.userId];
    case "dm_opened":
      return dmMembersOf(event);
    case "user_joined_channel":
      return members.includes(event.memberId) ? members : [...members, event.memberId];
    case "user_left_channel":
      return members.filter((m) => m !== leaverOf(event));
    default:
      return members;
  }
}

export const changesMembers = (event: ChannelEvent): boolean =>
  event.type === "channel_created" || event.type === "dm_opened" || event.type === "user_joined_channel" || event.type === "user_left_channel";

export function coreOf<H extends HeadCore & { members?: unknown }>(head: H): Omit<H, "members"> {
  const { members: _, ...core } = head;
  return core;
}

/** The head's fields in the contract's order, `extra` (the members, or where they are) after `createdAt`. */
export function withMembers<H extends HeadCore, E extends object>(core: H, extra: E): H & E {
  const { channelId, kind, name, topic, private: isPrivate, createdBy, createdAt, ...rest } = core;
  return { channelId, ...(kind === undefined ? {} : { kind }), name, topic, private: isPrivate, createdBy, createdAt, ...extra, ...rest } as H & E;
}

function activityOf(event: ChannelEvent): Activity | undefined {
  const base = { seq: event.seq, userId: event.userId, at: event.timestamp };
  switch (event.type) {
    case "user_joined_channel":
      return { ...base, type: event.type, memberId: event.memberId };
    case "user_left_channel":
      return { ...base, type: event.type, memberId: leaverOf(event) };
    case "channel_renamed":
      return { ...base, type: event.type, name: event.name };
    case "channel_topic_set":
      return { ...base, type: event.type, topic: event.topic };
    default:
      return undefined;
  }
}

/** Folds one event into the working set; `views.head` must be the head before this event. */
export function applyChannelEvent(views: ChannelViews, event: ChannelEvent): void {
  const before = views.head;
  applyToPages(views, event);
  views.head = applyToHead(before, event);
}

/** The pages and edits an event changes; the head is left to the caller. */
export function applyToPages(views: ChannelViews<HeadCore>, event: ChannelEvent): void {
  const before = views.head;
  if (before && event.seq <= before.lastSeq) return;
  const where = documentsFor(before, event);
  if (event.type === "message_sent" && event.threadId === undefined && where.page !== undefined) {
    const page = views.pages.get(where.page) ?? { channelId: event.channelId, page: where.page, messages: [] };
    const message: PageMessage = {
      seq: event.seq,
      messageId: event.messageId,
      userId: event.userId,
      text: event.text,
      sentAt: event.timestamp,
    };
    const messages = [...page.messages];
    messages[event.position % (before?.pageSize ?? pageSize)] = message;
    views.pages.set(where.page, { ...page, messages });
  }
  if (changesMessage(event) && where.page !== undefined) {
    if (where.edits !== undefined) recordEdit(views, where.edits, event);
    else editInPage(views, where.page, event);
  }
}
