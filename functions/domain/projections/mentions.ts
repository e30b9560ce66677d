/**
 * The mentions view (`views/users/me/mentions`): every message that names a user with
 * `@name`, newest first. A name matches a user whose display name, lowercased without
 * spaces, equals it, or whose first name does ("@ann" and "@annlee" both reach "Ann Lee").
 * Only users registered when the message was sent are matched, and nobody is told of
 * their own message.
 */
import type { MessageDeleted, MessageEdited, MessageSent, UserRegistered } from "../events";

export interface KnownUser {
  userId: string;
  name: string;
  registeredAt: string;
}

export interface NameIndex {
  users: KnownUser[];
}

export interface Mention {
  channelId: string;
  messageId: string;
  seq: number;
  userId: string;
  text: string;
  sentAt: string;
  editedAt?: string;
}

export interface MentionsView {
  userId: string;
  mentions: Mention[];
}

/** Who a message named, so that its later edits and deletion reach the same views. */
export interface MessageMentions {
  channelId: string;
  messageId: string;
  mentioned: string[];
}

export const emptyNames: NameIndex = { users: [] };
export const emptyMentions = (userId: string): MentionsView => ({ userId, mentions: [] });
export const mentionsPageSize = 50;

const normalize = (s: string) => s.toLowerCase().replace(/\s+/g, "");

export function addName(index: NameIndex, event: UserRegistered): NameIndex {
  if (index.users.some((u) => u.userId === event.userId)) return index;
  const users = [...index.users, { userId: event.userId, name: event.name, registeredAt: event.timestamp }];
  return { users: users.sort((a, b) => (a.userId < b.userId ? -1 : 1)) };
}

const mentionToken = /@([\p{L}\p{N}_.-]+)/gu;

/** Whether the text names anyone at all: most messages do not, and need no name index. */
export function mayMention(message: MessageSent): boolean {
  return message.text.search(mentionToken) >= 0;
}

export function mentionedIn(message: MessageSent, index: NameIndex): string[] {
  const tokens = new Set([...message.text.matchAll(mentionToken)].map((m) => normalize(m[1] ?? "")));
  if (tokens.size === 0) return [];
  return index.users
    .filter((u) => u.userId !== message.userId && u.registeredAt <= message.timestamp)
    .filter((u) => tokens.has(normalize(u.name)) || tokens.has(normalize(u.name.split(/\s+/)[0] ?? "")))
    .map((u) => u.userId);
}

export function addMention(view: MentionsView, message: MessageSent): MentionsView {
  const mention: Mention = {
    channelId: message.channelId,
    messageId: message.messageId,
    seq: message.seq,
    userId: message.userId,
    text: message.text,
    sentAt: message.timestamp,
  };
  const others = view.mentions.filter((m) => !same(m, message));
  return { userId: view.userId, mentions: [...others, mention].sort(newestFirst) };
}

export function changeMention(view: MentionsView, event: MessageEdited | MessageDeleted): MentionsView {
  if (event.type === "message_deleted") return { ...view, mentions: view.mentions.filter((m) => !same(m, event)) };
  return { ...view, mentions: view.mentions.map((m) => (same(m, event) ? { ...m, text: event.text, editedAt: event.timestamp } : m)) };
}

/** A message is known by its channel and id: clients choose ids, so two channels may share one. */
const same = (m: Mention, e: { channelId: string; messageId: string }) => m.channelId === e.channelId && m.messageId === e.messageId;

const newestFirst = (a: Mention, b: Mention) =>
  a.sentAt > b.sentAt ? -1 : a.sentAt < b.sentAt ? 1 : a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : b.seq - a.seq;
