/**
 * Changes to messages already on a page. On the open page they are made in the page; a
 * sealed page is never rewritten, so they go to its edits document, which readers merge in
 * (`mergeEdits`: the views API, and the browser's timeline).
 */
import type { ChannelPage, ChannelViews, HeadCore, PageMessage } from "./channel";

export interface MessageEdit {
  messageId: string;
  text: string;
  editedAt?: string;
  deleted?: true;
}

export interface PageEdits {
  channelId: string;
  page: number;
  edits: MessageEdit[];
}

export function editInPage(views: ChannelViews<HeadCore>, pageNumber: number, change: MessageEdit): void {
  const page = views.pages.get(pageNumber);
  if (!page) return;
  const messages = page.messages.map((m) => (m?.messageId === change.messageId && !m.deleted ? applyEdit(m, change) : m));
  views.pages.set(pageNumber, { ...page, messages });
}

export function recordEdit(views: ChannelViews<HeadCore>, pageNumber: number, channelId: string, change: MessageEdit): void {
  const original = views.pages.get(pageNumber)?.messages.find((m) => m?.messageId === change.messageId);
  const doc = views.edits.get(pageNumber) ?? { channelId, page: pageNumber, edits: [] };
  const earlier = doc.edits.find((e) => e.messageId === change.messageId);
  if (original?.deleted || earlier?.deleted) return;
  // In place, not moved to the end: folded again over a document a run wrote without its head, the entries keep their order.
  const edits = earlier ? doc.edits.map((e) => (e.messageId === change.messageId ? change : e)) : [...doc.edits, change];
  views.edits.set(pageNumber, { ...doc, edits });
}

export function applyEdit(message: PageMessage, change: MessageEdit): PageMessage {
  if (change.deleted) {
    return { seq: message.seq, messageId: message.messageId, userId: message.userId, text: "", sentAt: message.sentAt, deleted: true };
  }
  return { ...message, text: change.text, editedAt: change.editedAt ?? message.editedAt };
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
