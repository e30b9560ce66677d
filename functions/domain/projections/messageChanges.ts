/**
 * Changes to messages already on a page: edits, deletions and reactions. On the open page
 * they are made in the page; a sealed page is never rewritten, so they go to its edits
 * document, which readers merge in (`mergeEdits`: the views API, and the browser's timeline).
 */
import type { ChannelEvent, MessageDeleted, MessageEdited } from "../events";
import type { ChannelPage, ChannelViews, HeadCore, PageMessage } from "./channel";
import { applyReaction, isReactionEvent, type Reaction, type ReactionEvent } from "./reactions";

/**
 * A message's changeable fields where they differ from its sealed page. `text` is absent
 * while only reactions changed; `reactions` absent means as on the page, `[]` none left.
 */
export interface MessageEdit {
  messageId: string;
  text?: string;
  editedAt?: string;
  deleted?: true;
  reactions?: Reaction[];
}

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

/** The events that change a message already sent. */
export type MessageChange = MessageEdited | MessageDeleted | ReactionEvent;

export const changesMessage = (event: ChannelEvent): event is MessageChange =>
  event.type === "message_edited" || event.type === "message_deleted" || isReactionEvent(event);

/** The change to a message on the open page, made in the page. */
export function editInPage(views: ChannelViews<HeadCore>, pageNumber: number, event: MessageChange): void {
  const page = views.pages.get(pageNumber);
  const index = page?.messages.findIndex((m) => m?.messageId === event.messageId && !m.deleted) ?? -1;
  const message = page?.messages[index];
  if (!page || !message) return;
  const change = changeOf(undefined, message.reactions ?? [], event);
  if (change) views.pages.set(pageNumber, { ...page, messages: page.messages.map((m, i) => (i === index ? applyEdit(message, change) : m)) });
}

/** The change to a message of a sealed page, recorded in the page's edits document. */
export function recordEdit(views: ChannelViews<HeadCore>, pageNumber: number, event: MessageChange): void {
  const original = views.pages.get(pageNumber)?.messages.find((m) => m?.messageId === event.messageId);
  const doc = views.edits.get(pageNumber) ?? { channelId: event.channelId, page: pageNumber, edits: [] };
  if (event.seq <= (doc.lastSeq ?? 0)) return;
  const earlier = doc.edits.find((e) => e.messageId === event.messageId);
  if (original?.deleted || earlier?.deleted) return;
  // A reaction builds on the reactions before it: the earlier entry's, else the page's (which a browser may not have loaded).
  const reactions = earlier?.reactions ?? (original ? (original.reactions ?? []) : undefined);
  const change = changeOf(earlier, reactions, event);
  if (!change) return;
  // In place, not moved to the end: folded again over a document a run wrote without its head, the entries keep their order.
  const edits = earlier ? doc.edits.map((e) => (e === earlier ? change : e)) : [...doc.edits, change];
  views.edits.set(pageNumber, { channelId: doc.channelId, page: doc.page, edits, lastSeq: event.seq });
}

/**
 * The entry `event` makes of a message's `earlier` one, given its reactions now (undefined:
 * not known); undefined when it changes nothing, or is a reaction to unknown reactions.
 */
function changeOf(earlier: MessageEdit | undefined, reactions: readonly Reaction[] | undefined, event: MessageChange): MessageEdit | undefined {
  const { messageId } = event;
  if (event.type === "message_deleted") return { messageId, text: "", deleted: true };
  if (event.type === "message_edited") return entry({ ...earlier, messageId, text: event.text, editedAt: event.timestamp });
  if (!reactions) return undefined;
  const after = applyReaction(reactions, event);
  return after === reactions ? undefined : entry({ ...earlier, messageId, reactions: [...after] });
}

/** An entry with its fields in one order. */
function entry({ messageId, text, editedAt, reactions }: MessageEdit): MessageEdit {
  return { messageId, ...(text === undefined ? {} : { text }), ...(editedAt === undefined ? {} : { editedAt }), ...(reactions === undefined ? {} : { reactions }) };
}

/** The message with a change applied; a tombstone keeps no reactions. */
export function applyEdit(message: PageMessage, change: MessageEdit): PageMessage {
  const { seq, messageId, userId, sentAt } = message;
  if (change.deleted) return { seq, messageId, userId, text: "", sentAt, deleted: true };
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
