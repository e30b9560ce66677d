/**
 * An oracle for the channel and user views: what a reader must see after a history of
 * accepted commands, computed the plainest way (a list of messages in seq order, edited
 * and deleted in place by id, with who reacted with what in the order they did; a member
 * list; each user's channels in the order joined),
 * with none of the projections' machinery (positions, pages, edits documents, registers,
 * checkpoints). A fold bug that every delivery order shares shows up against it.
 */
import type { EventInput } from "../../functions/domain/events";
import type { Accepted } from "../../functions/ports";

export interface ModelMessage {
  seq: number;
  messageId: string;
  userId: string;
  text: string;
  sentAt: string;
  editedAt?: string;
  deleted?: true;
  /** Who reacted with each emoji, in the order they did; an emoji nobody has is taken out (so, added again, it comes last). */
  given: Map<string, string[]>;
  /** A top-level message's replies, in seq order. */
  replies: ModelMessage[];
}

interface ModelChannel {
  channelId: string;
  kind: "channel" | "dm";
  name: string;
  topic: string;
  private: boolean;
  createdBy: string;
  createdAt: string;
  members: string[];
  lastSeq: number;
  messages: ModelMessage[];
  /** Every join, leave, rename and topic after the creation, in order. */
  activity: Record<string, unknown>[];
}

function reactionsOf(given: Map<string, string[]>) {
  const reactions = [...given].map(([emoji, userIds]) => ({ emoji, count: userIds.length, userIds: [...userIds] }));
  return reactions.length === 0 ? {} : { reactions };
}

/** A message as a page shows it: its reactions, and a thread's summary when it has replies. */
function shown({ given, replies, ...m }: ModelMessage) {
  const summary =
    replies.length === 0 ? {} : { replyCount: replies.length, lastReplyAt: replies.at(-1)!.sentAt, replyUserIds: [...new Set(replies.map((r) => r.userId))] };
  return { ...m, ...reactionsOf(given), ...summary };
}

export class ChatModel {
  private readonly channels = new Map<string, ModelChannel>();
  private readonly names = new Map<string, string>();
  /** Per user, per channel they are in: when they joined. */
  private readonly joined = new Map<string, Map<string, string>>();

  registered(userId: string, name: string): void {
    this.names.set(userId, name);
  }

  /** A command the store accepted, with the answer it gave. A repeated answer (an idempotent resend) adds nothing. */
  accepted(input: EventInput, userId: string, answer: Accepted): void {
    const { seq, timestamp: at } = answer;
    if (input.type === "channel_created") {
      const channelId = answer.stream.slice("channel-".length);
      if (this.channels.has(channelId)) return;
      this.channels.set(channelId, { channelId, kind: "channel", name: input.name, topic: input.topic ?? "", private: input.private ?? false, createdBy: userId, createdAt: at, members: [userId], lastSeq: seq, messages: [], activity: [] });
      this.join(userId, channelId, at);
      return;
    }
    if (input.type === "dm_opened") {
      // Opened again (by anyone of its set): the answer is the first opening's, and nothing changes.
      const channelId = answer.stream.slice("channel-".length);
      if (this.channels.has(channelId)) return;
      const members = [userId, ...input.memberIds];
      this.channels.set(channelId, { channelId, kind: "dm", name: "", topic: "", private: true, createdBy: userId, createdAt: at, members, lastSeq: seq, messages: [], activity: [] });
      for (const member of members) this.join(member, channelId, at);
      return;
    }
    if (input.type === "user_renamed") {
      this.names.set(userId, input.name);
      return;
    }
    const channel = this.channels.get(input.channelId);
    if (!channel) throw new Error(`model: ${input.type} accepted in unknown channel ${input.channelId}`);
    if (seq <= channel.lastSeq) return; // the answer of an earlier request, given again
    if (seq !== channel.lastSeq + 1) throw new Error(`model: seq ${seq} after ${channel.lastSeq} in ${channel.channelId}`);
    channel.lastSeq = seq;
    const activity = { seq, type: input.type, userId, at };
    if (input.type === "user_joined_channel" || input.type === "user_left_channel") channel.activity.push({ ...activity, memberId: input.memberId ?? userId });
    if (input.type === "channel_renamed") channel.activity.push({ ...activity, name: input.name });
    if (input.type === "channel_topic_set") channel.activity.push({ ...activity, topic: input.topic });
    const everyMessage = channel.messages.flatMap((m) => [m, ...m.replies]);
    const message = "messageId" in input ? everyMessage.find((m) => m.messageId === input.messageId) : undefined;
    switch (input.type) {
      case "user_joined_channel": {
        const memberId = input.memberId ?? userId;
        channel.members.push(memberId);
        this.join(memberId, channel.channelId, at);
        return;
      }
      case "user_left_channel": {
        const leaver = input.memberId ?? userId;
        channel.members = channel.members.filter((m) => m !== leaver);
        this.joined.get(leaver)?.delete(channel.channelId);
        return;
      }
      case "channel_renamed":
        channel.name = input.name;
        return;
      case "channel_topic_set":
        channel.topic = input.topic;
        return;
      case "message_sent": {
        const sent = { seq, messageId: input.messageId, userId, text: input.text, sentAt: at, given: new Map(), replies: [] };
        if (input.threadId === undefined) channel.messages.push(sent);
        else {
          const root = channel.messages.find((m) => m.messageId === input.threadId);
          if (!root || root.deleted) throw new Error(`model: reply to unknown or deleted message ${input.threadId}`);
          root.replies.push(sent);
        }
        return;
      }
      case "message_edited":
        if (!message) throw new Error(`model: edit of unknown message ${input.messageId}`);
        message.text = input.text;
        message.editedAt = at;
        return;
      case "message_deleted":
        if (!message) throw new Error(`model: deletion of unknown message ${input.messageId}`);
        message.text = "";
        delete message.editedAt;
        message.deleted = true;
        message.given = new Map();
        return;
      case "reaction_added":
      case "reaction_removed": {
        if (!message || message.deleted) throw new Error(`model: reaction to unknown or deleted message ${input.messageId}`);
        const users = message.given.get(input.emoji) ?? [];
        if (input.type === "reaction_added" && !users.includes(userId)) message.given.set(input.emoji, [...users, userId]);
        if (input.type === "reaction_removed" && users.includes(userId)) {
          if (users.length === 1) message.given.delete(input.emoji);
          else message.given.set(input.emoji, users.filter((u) => u !== userId));
        }
        return;
      }
    }
  }

  channelIds(): string[] {
    return [...this.channels.keys()];
  }

  /** `GET views/channels/<id>`. */
  head(channelId: string, pageSize: number) {
    const { messages, activity, ...channel } = this.channel(channelId);
    const recent = activity.length === 0 ? {} : { activity: activity.slice(-20) };
    return { ...channel, members: [...channel.members], messageCount: messages.length, pageSize, pageCount: Math.ceil(messages.length / pageSize), ...recent };
  }

  /** `GET views/channels/<id>/pages/<n>` for every page. */
  pages(channelId: string, pageSize: number) {
    const { messages } = this.channel(channelId);
    return Array.from({ length: Math.ceil(messages.length / pageSize) }, (_, page) => ({
      channelId,
      page,
      messages: messages.slice(page * pageSize, (page + 1) * pageSize).map(shown),
    }));
  }

  /** `GET views/channels/<id>/threads/<messageId>` and its pages, for every message with replies. */
  threads(channelId: string, pageSize: number) {
    return this.channel(channelId)
      .messages.filter((m) => m.replies.length > 0)
      .map(({ messageId: threadId, replies }) => ({
        threadId,
        head: { channelId, threadId, replyCount: replies.length, pageSize, pageCount: Math.ceil(replies.length / pageSize) },
        pages: Array.from({ length: Math.ceil(replies.length / pageSize) }, (_, page) => ({
          channelId,
          threadId,
          page,
          messages: replies.slice(page * pageSize, (page + 1) * pageSize).map(shown),
        })),
      }));
  }

  /** Every message, replies too, that `userId` may read now and that is not deleted: what search may find (CONTRACT §12). */
  readable(userId: string) {
    const visible = [...this.channels.values()].filter((c) => !c.private || c.members.includes(userId));
    return visible.flatMap((c) =>
      c.messages
        .flatMap((m) => [{ m, threadId: undefined as string | undefined }, ...m.replies.map((r) => ({ m: r, threadId: m.messageId }))])
        .filter(({ m }) => !m.deleted)
        .map(({ m, threadId }) => ({
          channelId: c.channelId,
          messageId: m.messageId,
          ...(threadId ? { threadId } : {}),
          seq: m.seq,
          userId: m.userId,
          text: m.text,
          sentAt: m.sentAt,
          ...(m.editedAt ? { editedAt: m.editedAt } : {}),
        })),
    );
  }

  userIds(): string[] {
    return [...this.names.keys()];
  }

  /** `GET views/users/me`: the user's channels in the order they joined them (last joined last). */
  me(userId: string) {
    const joined = [...(this.joined.get(userId) ?? new Map<string, string>()).entries()];
    const channels = joined.sort(([a, x], [b, y]) => (x < y ? -1 : x > y ? 1 : a < b ? -1 : 1)).map(([channelId]) => channelId);
    return { userId, name: this.names.get(userId) ?? "", channels, readMarks: {} };
  }

  /** `GET views/users`: everyone registered, by name. */
  users() {
    const users = [...this.names.entries()].map(([userId, name]) => ({ userId, name }));
    return { users: users.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.userId < b.userId ? -1 : 1)) };
  }

  private channel(channelId: string): ModelChannel {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`model: no channel ${channelId}`);
    return channel;
  }

  private join(userId: string, channelId: string, at: string): void {
    const mine = this.joined.get(userId) ?? new Map<string, string>();
    mine.set(channelId, at);
    this.joined.set(userId, mine);
  }
}
