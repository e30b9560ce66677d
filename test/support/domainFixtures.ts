/**
 * Builders of stored events for the pure domain tests: a channel's stream with gapless
 * seqs, message positions in sending order and timestamps from a clock that may be shared
 * by several streams (so "who joined what first" is well defined across channels).
 */
import type {
  ChannelCreated,
  ChannelEvent,
  ChannelRenamed,
  ChannelTopicSet,
  DmOpened,
  MessageDeleted,
  MessageEdited,
  MessageSent,
  ReactionAdded,
  ReactionRemoved,
  UserJoinedChannel,
  UserLeftChannel,
  UserRegistered,
  UserRenamed,
} from "../../functions/domain/events";
import { channelStream, userStream } from "../../functions/domain/events";

export const channelIds = {
  general: "aaaaaaaa-0000-4000-8000-000000000001",
  random: "aaaaaaaa-0000-4000-8000-000000000002",
  secret: "aaaaaaaa-0000-4000-8000-000000000003",
} as const;

/** A valid UUID (v4 layout) per number: message ids in tests. */
export const messageId = (n: number) => `bbbbbbbb-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** ISO timestamps one second apart from 2024-01-01T00:00:00Z. */
export class Clock {
  private ticks = 0;
  next(): string {
    return new Date(Date.UTC(2024, 0, 1) + 1000 * this.ticks++).toISOString();
  }
}

let eventCounter = 0;
const nextEventId = () => `evt-${String(++eventCounter).padStart(6, "0")}`;

/** One channel's stream, built event by event; `events` is the stream in seq order. */
export class ChannelHistory {
  readonly events: ChannelEvent[] = [];
  private readonly positions = new Map<string, number>();

  constructor(
    readonly channelId: string = channelIds.general,
    private readonly clock: Clock = new Clock(),
  ) {}

  private envelope(userId: string) {
    return {
      eventId: nextEventId(),
      stream: channelStream(this.channelId),
      seq: this.events.length + 1,
      timestamp: this.clock.next(),
      userId,
      channelId: this.channelId,
    };
  }

  private push<E extends ChannelEvent>(event: E): E {
    this.events.push(event);
    return event;
  }

  created(userId: string, opts: { name?: string; topic?: string; private?: boolean } = {}): ChannelCreated {
    return this.push({
      ...this.envelope(userId),
      type: "channel_created",
      name: opts.name ?? "general",
      topic: opts.topic ?? "",
      private: opts.private ?? false,
    });
  }

  /** `userId` opens a DM with `memberIds` (the history's channelId standing for the set's). */
  dmOpened(userId: string, memberIds: string[]): DmOpened {
    return this.push({ ...this.envelope(userId), type: "dm_opened", memberIds });
  }

  /** `userId` joins, or adds `memberId` when given. */
  joined(userId: string, memberId: string = userId): UserJoinedChannel {
    return this.push({ ...this.envelope(userId), type: "user_joined_channel", memberId });
  }

  /** `userId` leaves, or (the creator) removes `memberId` when given. */
  left(userId: string, memberId?: string): UserLeftChannel {
    return this.push({ ...this.envelope(userId), type: "user_left_channel", ...(memberId === undefined ? {} : { memberId }) });
  }

  renamed(userId: string, name: string): ChannelRenamed {
    return this.push({ ...this.envelope(userId), type: "channel_renamed", name });
  }

  topicSet(userId: string, topic: string): ChannelTopicSet {
    return this.push({ ...this.envelope(userId), type: "channel_topic_set", topic });
  }

  sent(userId: string, id: string, text = `text of ${id}`): MessageSent {
    const position = this.positions.size;
    this.positions.set(id, position);
    return this.push({ ...this.envelope(userId), type: "message_sent", messageId: id, text, position });
  }

  edited(userId: string, id: string, text: string): MessageEdited {
    return this.push({ ...this.envelope(userId), type: "message_edited", messageId: id, text, position: this.positionOf(id) });
  }

  deleted(userId: string, id: string): MessageDeleted {
    return this.push({ ...this.envelope(userId), type: "message_deleted", messageId: id, position: this.positionOf(id) });
  }

  reacted(userId: string, id: string, emoji: string): ReactionAdded {
    return this.push({ ...this.envelope(userId), type: "reaction_added", messageId: id, emoji, position: this.positionOf(id) });
  }

  unreacted(userId: string, id: string, emoji: string): ReactionRemoved {
    return this.push({ ...this.envelope(userId), type: "reaction_removed", messageId: id, emoji, position: this.positionOf(id) });
  }

  /** Sends `count` messages with ids `messageId(from)`, … in order. */
  sentMany(userId: string, count: number, from = 0): MessageSent[] {
    return Array.from({ length: count }, (_, i) => this.sent(userId, messageId(from + i)));
  }

  private positionOf(id: string): number {
    const position = this.positions.get(id);
    if (position === undefined) throw new Error(`fixture: message ${id} was never sent`);
    return position;
  }
}

export function registered(userId: string, name: string, timestamp = "2024-01-01T00:00:00.000Z"): UserRegistered {
  return { eventId: nextEventId(), type: "user_registered", stream: userStream(userId), seq: 1, timestamp, userId, name };
}

/** The user's rename at `seq` of their stream (2 for the first rename). */
export function userRenamed(userId: string, name: string, seq: number, timestamp = "2024-01-02T00:00:00.000Z"): UserRenamed {
  return { eventId: nextEventId(), type: "user_renamed", stream: userStream(userId), seq, timestamp, userId, name };
}
