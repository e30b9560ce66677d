/**
 * Changes to messages already on a page: edits, deletions and reactions. On the open page
 * they are made in the page; a sealed page is never rewritten, so they go to its edits
 * document, which readers merge in (`mergeEdits`: the views API, and the browser's timeline).
 */
import { type ChannelEvent, type MessageDeleted, type MessageEdited, type MessageSent, threadOf } from "../events";
import type { ChannelPage, ChannelViews, HeadCore, PageMessage, RootOfThread } from "./channel";
import { applyReaction, isReactionEvent, type Reaction, type ReactionEvent } from "./reactions";

/**
 * A message's changeable fields where they differ from its sealed page. `text` is absent
 * while only reactions changed; `reactions` absent means as on the page, `[]` none left.
 */
/** A thread's summary, when it changed, all three fields together: absent means as on the page. */
export interface MessageEdit extends RootOfThread {
  messageId: string;
  text?: string;
  editedAt?: string;
  deleted?: true;
  reactions?: Reaction[];
}

type ThreadSummary = Required<RootOfThread>;

export interface PageEdits {
  channelId: string;
  page: number;
  edits: MessageEdit[];
  /**
   * The last event folded into this document. It is written before the head, so a run that
   * starts over from an older head (after a crash, or losing the head's write to a run that
   * read fewer events) meets events it already holds: it skips them. An edit could be
   * applied twice; a reaction could not (a removal and re-add moves it to the end).
   */
  lastSeq?: number;
}

/** A reply changes its thread's root: the summary of its thread. */
export type Reply = MessageSent & { threadId: string };

/** The events that change a message already on a channel's page (those about a reply change its thread: thread.ts). */
export type MessageChange = MessageEdited | MessageDeleted | ReactionEvent | Reply;

export const changesMessage = (event: ChannelEvent): event is MessageChange =>
  threadOf(event) === undefined ? event.type === "message_edited" || event.type === "message_deleted" || isReactionEvent(event) : event.type === "message_sent";

/** The message on the channel's page that a change is to. */
const targetOf = (event: MessageChange): string => (event.type === "message_sent" ? event.threadId : event.messageId);

const summaryOf = (m: RootOfThread | undefined): ThreadSummary | undefined =>
  m?.replyCount === undefined ? undefined : { replyCount: m.replyCount, lastReplyAt: m.lastReplyAt ?? "", replyUserIds: m.replyUserIds ?? [] };

/** The root's thread summary after one more reply. */
const withReply = (summary: ThreadSummary | undefined, reply: Reply): ThreadSummary => ({
  replyCount: (summary?.replyCount ?? 0) + 1,
  lastReplyAt: reply.timestamp,
  replyUserIds: summary?.replyUserIds.includes(reply.userId) ? summary.replyUserIds : [...(summary?.replyUserIds ?? []), reply.userId],
});

/** The change to a message on the open page, made in the page. */
export function editInPage(views: ChannelViews<HeadCore>, pageNumber: number, event: MessageChange): void {
  const page = views.pages.get(pageNumber);
  const index = page?.messages.findIndex((m) => m?.messageId === targetOf(event) && !m.deleted) ?? -1;
  const message = page?.messages[index];
  if (!page || !message) return;
  const change = changeOf(undefined, { reactions: message.reactions ?? [], summary: summaryOf(message) }, event);
  if (change) views.pages.set(pageNumber, { ...page, messages: page.messages.map((m, i) => (i === index ? applyEdit(message, change) : m)) });
}

/** The change to a message of a sealed page, recorded in the page's edits document. */
export function recordEdit(views: ChannelViews<HeadCore>, pageNumber: number, event: MessageChange): void {
  const target = targetOf(event);
  const original = views.pages.get(pageNumber)?.messages.find((m) => m?.messageId === target);
  const doc = views.edits.get(pageNumber) ?? { channelId: event.channelId, page: pageNumber, edits: [] };
  if (event.seq <= (doc.lastSeq ?? 0)) return;
  const earlier = doc.edits.find((e) => e.messageId === target);
  if (original?.deleted || earlier?.deleted) return;
  // A reaction builds on the reactions before it, a reply on the thread's summary: the earlier entry's, else the page's (which a browser may not have loaded).
  const reactions = earlier?.reactions ?? (original ? (original.reactions ?? []) : undefined);
  const summary = summaryOf(earlier) ?? summaryOf(original ?? undefined);
  const change = changeOf(earlier, { reactions, summary, known: original !== undefined || earlier !== undefined }, event);
  if (!change) return;
  // In place, not moved to the end: folded again over a document a run wrote without its head, the entries keep their order.
  const edits = earlier ? doc.edits.map((e) => (e === earlier ? change : e)) : [...doc.edits, change];
  views.edits.set(pageNumber, { channelId: doc.channelId, page: doc.page, edits, lastSeq: event.seq });
}

/**
 * The entry `event` makes of a message's `earlier` one, given its reactions now (undefined:
 * not known); undefined when it changes nothing, or is a reaction to unknown reactions.
 */
function changeOf(
  earlier: MessageEdit | undefined,
  now: { reactions: readonly Reaction[] | undefined; summary: ThreadSummary | undefined; known?: boolean },
  event: MessageChange,
): MessageEdit | undefined {
  const messageId = targetOf(event);
  if (event.type === "message_deleted") return { messageId, text: "", deleted: true };
  if (event.type === "message_edited") return entry({ ...earlier, messageId, text: event.text, editedAt: event.timestamp });
  // A reply to a root not known here (a browser that has not loaded its page) changes nothing: the page, once read, has it.
  if (event.type === "message_sent") return now.known === false ? undefined : entry({ ...earlier, messageId, ...withReply(now.summary, event) });
  const { reactions } = now;
  if (!reactions) return undefined;
  const after = applyReaction(reactions, event);
  return after === reactions ? undefined : entry({ ...earlier, messageId, reactions: [...after] });
}

/** An entry with its fields in one order. */
function entry({ messageId, text, editedAt, reactions, ...thread }: MessageEdit): MessageEdit {
  const summary = summaryOf(thread);
  return { messageId, ...(text === undefined ? {} : { text }), ...(editedAt === undefined ? {} : { editedAt }), ...(reactions === undefined ? {} : { reactions }), ...summary };
}

/** The message with a change applied; a tombstone keeps no reactions, and its thread's summary (the replies stay). */
export function applyEdit(message: PageMessage, change: MessageEdit): PageMessage {
  const { seq, messageId, userId, sentAt } = message;
  const summary = summaryOf(change) ?? summaryOf(message);
  if (change.deleted) return { seq, messageId, userId, text: "", sentAt, deleted: true, ...summary };
  const editedAt = change.editedAt ?? message.editedAt;
  const reactions = change.reactions ?? message.reactions;
  return {
    seq,
    messageId,
    userId,
    text: change.text ?? message.text,
    sentAt,
    ...(editedAt === undefined ? {} : { editedAt }),
    ...(reactions === undefined || reactions.length === 0 ? {} : { reactions }),
    ...summary,
  };
}

/** A page as readers see it: the page with its later edits merged in. */
export function mergeEdits(page: ChannelPage, edits: PageEdits | undefined): ChannelPage {
  if (!edits || edits.edits.length === 0) return page;
  const byId = new Map(edits.edits.map((e) => [e.messageId, e]));
  return {
    ...page,
    messages: page.messages.map((m) => {
      const change = m && byId.get(m.messageId);
      return change && !m.deleted ? applyEdit(m, change) : m;
    }),
  };
}
