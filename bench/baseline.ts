/**
 * The baseline: the talk's design ("Building a Serverless, EventSourced, Slack Clone"),
 * kept only here. Every view is one JSON document in S3, and every event updates each view
 * it touches by a blind read-modify-write: GetObject, change, PutObject, with no condition,
 * no ordering check, no paging (the talk's `updateView`). It keeps the same information as
 * our views (the contract's: channel with members and messages, the channel directory with
 * member counts and last seq, the users directory, each user's channels), so the two are
 * compared on equal content. Documents are written as compact JSON, like ours (the talk
 * pretty-printed them, which would only make the baseline bigger).
 *
 * It is fed by the same bus rules as our projections (lambdas.ts), under its own bucket
 * on the same S3 server, and errors are not retried (the talk ignored them).
 */
import { CreateBucketCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { type ChannelEvent, isChannelEvent, type StoredEvent } from "../functions/domain/events";
import type { ProjectionName } from "../functions/domain/routes";
import type { ProjectionEvent } from "../infra/local/handlers";
import type { BaselineTargets } from "./lambdas";
import { buckets } from "./meters";

export const baselineKeys = {
  channel: (channelId: string) => `views/CHANNEL/${channelId}.json`,
  channels: () => "views/ALL_CHANNELS.json",
  users: () => "views/USERS.json",
  user: (userId: string) => `views/USER/${userId}.json`,
};

export interface BaselineMessage {
  messageId: string;
  userId: string;
  text: string;
  sentAt: string;
  editedAt?: string;
  deleted?: true;
}

export interface BaselineChannel {
  channelId: string;
  name: string;
  topic: string;
  private: boolean;
  createdBy: string;
  createdAt: string;
  members: string[];
  messages: BaselineMessage[];
}

export interface BaselineDirectory {
  channels: Record<string, { name: string; topic: string; private: boolean; memberCount: number; lastSeq: number }>;
}

export interface BaselineUsers {
  users: Record<string, string>;
}

export interface BaselineUser {
  userId: string;
  name: string;
  channels: string[];
}

/** The talk's channel aggregate: one document per channel, all its messages in it. */
export function foldChannel(view: BaselineChannel | undefined, event: ChannelEvent): BaselineChannel | undefined {
  if (event.type === "channel_created") {
    return { channelId: event.channelId, name: event.name, topic: event.topic, private: event.private, createdBy: event.userId, createdAt: event.timestamp, members: [event.userId], messages: [] };
  }
  if (!view) return view;
  switch (event.type) {
    case "user_joined_channel":
      return { ...view, members: [...view.members, event.memberId] };
    case "user_left_channel":
      return { ...view, members: view.members.filter((m) => m !== event.userId) };
    case "message_sent":
      return { ...view, messages: [...view.messages, { messageId: event.messageId, userId: event.userId, text: event.text, sentAt: event.timestamp }] };
    case "message_edited":
      return { ...view, messages: view.messages.map((m) => (m.messageId === event.messageId ? { ...m, text: event.text, editedAt: event.timestamp } : m)) };
    case "message_deleted":
      return { ...view, messages: view.messages.map((m) => (m.messageId === event.messageId ? { ...m, text: "", deleted: true as const } : m)) };
  }
}

/** ALL_CHANNELS: member counts and each channel's last seq. */
export function foldDirectory(view: BaselineDirectory | undefined, event: ChannelEvent): BaselineDirectory {
  const channels = { ...(view?.channels ?? {}) };
  const entry = channels[event.channelId];
  if (event.type === "channel_created") {
    channels[event.channelId] = { name: event.name, topic: event.topic, private: event.private, memberCount: 1, lastSeq: event.seq };
  } else if (entry) {
    const delta = event.type === "user_joined_channel" ? 1 : event.type === "user_left_channel" ? -1 : 0;
    channels[event.channelId] = { ...entry, memberCount: entry.memberCount + delta, lastSeq: event.seq };
  }
  return { channels };
}

export class Baseline implements BaselineTargets {
  private s3?: S3Client;
  private readonly running = new Set<Promise<void>>();
  errors = 0;

  /** Points the baseline at the S3 endpoint (the counting proxy) and creates its bucket there. */
  async connect(endpoint: string): Promise<void> {
    this.s3 = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    try {
      await this.s3.send(new CreateBucketCommand({ Bucket: buckets.baseline }));
    } catch (error) {
      if (!(error instanceof S3ServiceException && /BucketAlready/.test(error.name))) throw error;
    }
  }

  /**
   * The talk's directory is rewritten by every channel event (its lastSeq): it is fed by
   * the rule that routes them all, the channel projection's (ours receives fewer).
   */
  handlersFor(projection: ProjectionName): { view: string; handle: (event: ProjectionEvent) => Promise<void> }[] {
    switch (projection) {
      case "channel":
        return [
          { view: "channel", handle: (e) => this.onChannelEvent(e.detail) },
          { view: "directory", handle: (e) => this.onDirectoryEvent(e.detail) },
        ];
      case "user":
        return [{ view: "user", handle: (e) => this.onUserEvent(e.detail) }];
      default:
        return []; // notify (realtime pushes) and mentions: views the talk did not have
    }
  }

  track(run: Promise<void>): void {
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  pending(): number {
    return this.running.size;
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async onChannelEvent(event: StoredEvent): Promise<void> {
    if (!isChannelEvent(event)) return;
    await this.updateView<BaselineChannel>(baselineKeys.channel(event.channelId), (view) => foldChannel(view, event));
  }

  private async onDirectoryEvent(event: StoredEvent): Promise<void> {
    if (!isChannelEvent(event)) return;
    await this.updateView<BaselineDirectory>(baselineKeys.channels(), (view) => foldDirectory(view, event));
  }

  private async onUserEvent(event: StoredEvent): Promise<void> {
    if (event.type === "user_registered") {
      await this.updateView<BaselineUsers>(baselineKeys.users(), (view) => ({ users: { ...(view?.users ?? {}), [event.userId]: event.name } }));
      await this.updateView<BaselineUser>(baselineKeys.user(event.userId), (view) => ({ userId: event.userId, name: event.name, channels: view?.channels ?? [] }));
      return;
    }
    if (!isChannelEvent(event)) return;
    const who = event.type === "channel_created" ? event.userId : event.type === "user_joined_channel" ? event.memberId : event.type === "user_left_channel" ? event.userId : undefined;
    if (!who) return;
    await this.updateView<BaselineUser>(baselineKeys.user(who), (view) => {
      const current = view ?? { userId: who, name: "", channels: [] };
      const channels = event.type === "user_left_channel" ? current.channels.filter((c) => c !== event.channelId) : [...current.channels, event.channelId];
      return { ...current, channels };
    });
  }

  /** The talk's updateView: get, change, put; no condition, no retry. */
  async updateView<T>(key: string, change: (view: T | undefined) => T | undefined): Promise<void> {
    const current = await this.read<T>(key);
    const next = change(current);
    if (next === undefined) return;
    await this.write(key, next);
  }

  async read<T>(key: string): Promise<T | undefined> {
    try {
      const object = await this.client().send(new GetObjectCommand({ Bucket: buckets.baseline, Key: key }));
      const body = (await object.Body?.transformToString("utf-8")) ?? "";
      return body ? (JSON.parse(body) as T) : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return undefined;
      throw error;
    }
  }

  async write(key: string, view: unknown): Promise<void> {
    await this.client().send(new PutObjectCommand({ Bucket: buckets.baseline, Key: key, Body: JSON.stringify(view), ContentType: "application/json" }));
  }

  private client(): S3Client {
    if (!this.s3) throw new Error("the baseline is not connected to S3");
    return this.s3;
  }
}
