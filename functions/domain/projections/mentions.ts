/**
 * The mentions view (`views/users/me/mentions`): every message that names a user with
 * `@name`, newest first. A name matches a user whose display name, lowercased without
 * spaces, equals it, or whose first name does ("@ann" and "@annlee" both reach "Ann Lee").
 * Only members of the channel at the message's seq are matched (so a private channel's
 * text never reaches anyone else's view, whatever order events arrive in), only users
 * registered when the message was sent, and nobody is told of their own message. A user
 * who renamed themselves answers to each name they had taken by the message's time (so
 * "@ann" still reaches Ann after she became "Annie").
 */
import { type ChannelEvent, dmMembersOf, leaverOf, type MessageDeleted, type MessageEdited, type MessageSent, type UserRegistered, type UserRenamed } from "../events";

export interface KnownUser {
  userId: string;
  /** The name registered with; "" while only a rename is known. */
  name: string;
  registeredAt: string;
  /** Later names, by seq in the user's stream, each from the time it was taken. */
  renames?: { seq: number; name: string; since: string }[];
}

export interface NameIndex {
  users: KnownUser[];
}

export interface Mention {
  channelId: string;
  /** Whether the channel is private: then only its members at read time see the mention. */
  private: boolean;
  messageId: string;
  /** A reply's thread: its top-level message. */
  threadId?: string;
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

/**
 * The channel as the mentions catch-up knows it at its checkpoint: who is in it, and
 * whether it is private. Until its `channel_created` is folded it counts as private.
 */
export interface ChannelAudience {
  lastSeq: number;
  private: boolean;
  members: string[];
}

export const unknownAudience: ChannelAudience = { lastSeq: 0, private: true, members: [] };

export function evolveAudience(audience: ChannelAudience, event: ChannelEvent): ChannelAudience {
  if (event.seq <= audience.lastSeq) return audience;
  const next = { ...audience, lastSeq: event.seq };
  switch (event.type) {
    case "channel_created":
      return { ...next, private: event.private, members: [event.userId] };
    case "dm_opened":
      return { ...next, private: true, members: dmMembersOf(event) };
    case "user_joined_channel":
      return audience.members.includes(event.memberId) ? next : { ...next, members: [...audience.members, event.memberId] };
    case "user_left_channel":
      return { ...next, members: audience.members.filter((m) => m !== leaverOf(event)) };
    default:
      return next;
  }
}

export const emptyNames: NameIndex = { users: [] };
export const emptyMentions = (userId: string): MentionsView => ({ userId, mentions: [] });
export const mentionsPageSize = 50;

const normalize = (s: string) => s.toLowerCase().replace(/\s+/g, "");

export const renamesKept = 5;

/** Folds a registration or a rename into the index: in any order, any number of times, to the same index. */
export function addName(index: NameIndex, event: UserRegistered | UserRenamed): NameIndex {
  const known = index.users.find((u) => u.userId === event.userId);
  let user: KnownUser;
  if (event.type === "user_registered") {
    if (known?.name) return index;
    user = { ...known, userId: event.userId, name: event.name, registeredAt: event.timestamp };
  } else {
    if (known?.renames?.some((r) => r.seq === event.seq)) return index;
    // The latest few: older names have stopped reaching their person (see namesAt), and the index stays small however often someone renames.
    const renames = [...(known?.renames ?? []), { seq: event.seq, name: event.name, since: event.timestamp }].sort((a, b) => a.seq - b.seq).slice(-renamesKept);
    // Known only by a rename so far: registered before it, at the latest.
    user = { ...(known ?? { userId: event.userId, name: "", registeredAt: event.timestamp }), renames };
  }
  const users = [...index.users.filter((u) => u.userId !== event.userId), user];
  return { users: users.sort((a, b) => (a.userId < b.userId ? -1 : 1)) };
}

/** How long a name still reaches its person after they took another. */
export const oldNameGraceMs = 24 * 3600_000;

/**
 * The names a user answers to in a message sent at `at`: the one they had then, and one
 * they gave up less than a day before (so a mention typed from habit still arrives, but a
 * name taken for a moment does not collect someone else's mentions for ever).
 */
function namesAt(user: KnownUser, at: string): string[] {
  const names = [{ name: user.name, since: "" }, ...(user.renames ?? [])];
  const time = Date.parse(at);
  return names
    .filter((n, i) => {
      const next = names[i + 1];
      return n.since <= at && (!next || Date.parse(next.since) + oldNameGraceMs > time);
    })
    .map((n) => n.name)
    .filter((n) => n !== "");
}

/** `@` and a name: the pattern a message names someone by (the web app highlights the same). */
export const mentionToken = /@([\p{L}\p{N}_.-]+)/gu;

/** Whether the text names anyone at all: most messages do not, and need no name index. */
export function mayMention(message: MessageSent): boolean {
  return message.text.search(mentionToken) >= 0;
}

const tokensOf = (message: MessageSent) => new Set([...message.text.matchAll(mentionToken)].map((m) => normalize(m[1] ?? "")));
/** The tokens (lowercase, as written after `@`) that name someone called `name`: the whole name without spaces, and the first word. */
export const tokensNaming = (name: string) => new Set([normalize(name), normalize(name.split(/\s+/)[0] ?? "")]);
const answersTo = (user: KnownUser, tokens: Set<string>, at: string) => namesAt(user, at).some((name) => [...tokensNaming(name)].some((t) => tokens.has(t)));

/** The members of the channel (at the message's seq) whom the message names. */
export function mentionedIn(message: MessageSent, index: NameIndex, members: readonly string[]): string[] {
  const tokens = tokensOf(message);
  if (tokens.size === 0) return [];
  const audience = new Set(members);
  return index.users
    .filter((u) => u.userId !== message.userId && u.registeredAt <= message.timestamp && audience.has(u.userId))
    .filter((u) => answersTo(u, tokens, message.timestamp))
    .map((u) => u.userId);
}

/**
 * Whether the name index may still lack someone the message names: a token matched nobody
 * while a member (other than the sender) has no name in the index yet. A member registers
 * before joining, so their name is on its way (the index lags the user streams).
 */
export function mayNameUnknownMember(message: MessageSent, index: NameIndex, members: readonly string[]): boolean {
  const tokens = tokensOf(message);
  const known = new Set(index.users.filter((u) => u.name !== "").map((u) => u.userId));
  if (!members.some((m) => m !== message.userId && !known.has(m))) return false;
  const at = message.timestamp;
  const matched = index.users.filter((u) => answersTo(u, tokens, at));
  return [...tokens].some((t) => !matched.some((u) => answersTo(u, new Set([t]), at)));
}

export function addMention(view: MentionsView, message: MessageSent, isPrivate: boolean): MentionsView {
  const mention: Mention = {
    channelId: message.channelId,
    private: isPrivate,
    messageId: message.messageId,
    ...(message.threadId === undefined ? {} : { threadId: message.threadId }),
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
