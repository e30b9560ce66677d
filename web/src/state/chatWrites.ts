/**
 * Our own writes (CONTRACT §3). Messages, edits and deletions show at once through the
 * outbox and are retried with the same `Idempotency-Key` (and the same `messageId`), so
 * the store keeps each exactly once however often it is sent. Channel creation, joins and
 * leaves are applied from the store's answer: it gives the event's `seq` and `timestamp`,
 * which is all the stored event adds to what we sent.
 *
 * One person's messages to a channel are sent one after another (CONTRACT §14): the next
 * `message_sent` to a channel goes out only once the one before it was answered, or failed
 * for good (refused, or still unanswered after its retries; it then shows as failed and the
 * ones after it go on). Sent side by side, a slow or jittery network stores them in whatever
 * order the requests happen to arrive, and everyone sees that order for good. The screen
 * does not wait: every message shows at once, in the order typed. Channels do not wait for
 * each other, and edits and deletions are sent at once as before.
 */
import type { ChannelEvent, Envelope } from "../../../functions/domain/events";
import { ApiError, type ChatApi, type WriteAnswer } from "../api/apiError";
import { backoffDelay, type BackoffPolicy } from "./backoff";
import type { ChannelSync } from "./channelSync";
import * as outbox from "./outbox";
import type { Timers } from "./timers";

export interface Me {
  userId: string;
  name: string;
}

export interface WriteDeps {
  api: ChatApi;
  me: Me;
  timers: Timers;
  newId(): string;
  sync: ChannelSync;
  getOutbox(): readonly outbox.Outgoing[];
  setOutbox(next: readonly outbox.Outgoing[]): void;
  /** Tells the person something went wrong that the screen does not show by itself. */
  notice(message: string): void;
  random?: () => number;
}

const retryPolicy: BackoffPolicy = { baseMs: 400, maxMs: 4000 };
const maxAttempts = 3;

export class ChatWrites {
  /** Per channel, the last message in its queue of sends: the next one starts when it settles. */
  private readonly sendQueues = new Map<string, Promise<void>>();

  constructor(private readonly deps: WriteDeps) {}

  send(channelId: string, text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    const { newId, me, timers } = this.deps;
    const write: outbox.OutgoingMessage = {
      kind: "send",
      channelId,
      messageId: newId(),
      idempotencyKey: newId(),
      status: "sending",
      userId: me.userId,
      text: trimmed,
      createdAt: new Date(timers.now()).toISOString(),
    };
    this.deps.setOutbox(outbox.add(this.deps.getOutbox(), write));
    this.enqueue(write);
  }

  /** Sends a failed message again, with its first Idempotency-Key and messageId. */
  retry(idempotencyKey: string): void {
    const write = this.deps.getOutbox().find((w) => w.idempotencyKey === idempotencyKey);
    if (!write || write.status !== "failed") return;
    this.deps.setOutbox(outbox.update(this.deps.getOutbox(), idempotencyKey, { status: "sending", error: undefined }));
    if (write.kind === "send") this.enqueue(write);
    else void this.deliver(write);
  }

  discard(idempotencyKey: string): void {
    this.deps.setOutbox(outbox.remove(this.deps.getOutbox(), idempotencyKey));
  }

  edit(channelId: string, messageId: string, text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    this.change({ kind: "edit", channelId, messageId, text: trimmed, idempotencyKey: this.deps.newId(), status: "sending" });
  }

  remove(channelId: string, messageId: string): void {
    this.change({ kind: "delete", channelId, messageId, text: "", idempotencyKey: this.deps.newId(), status: "sending" });
  }

  /** Creates a channel and starts its timeline; throws the API's refusal (name taken, invalid). */
  async createChannel(input: { name: string; topic: string; private: boolean }): Promise<string> {
    const payload = { type: "channel_created" as const, channelId: this.deps.newId(), ...input };
    const answer = await this.post(payload, this.deps.newId());
    const event = this.stored(payload, answer);
    if (event.type === "channel_created") this.deps.sync.adopt(event);
    return payload.channelId;
  }

  /** Joins a channel ourselves, or adds someone (`memberId`) to one we are in. */
  async join(channelId: string, memberId = this.deps.me.userId): Promise<void> {
    this.deps.sync.track(channelId);
    try {
      const payload = { type: "user_joined_channel" as const, channelId, memberId };
      const body = memberId === this.deps.me.userId ? { type: payload.type, channelId } : payload;
      this.deps.sync.receive(this.stored(payload, await this.post(body, this.deps.newId())));
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "already_member")) throw error;
      this.deps.sync.refresh(channelId);
    }
  }

  /** Leaves a channel, or (its creator) removes someone else from it (`memberId`). */
  async leave(channelId: string, memberId?: string): Promise<void> {
    const payload = { type: "user_left_channel" as const, channelId, ...(memberId && memberId !== this.deps.me.userId ? { memberId } : {}) };
    this.deps.sync.receive(this.stored(payload, await this.post(payload, this.deps.newId())));
  }

  /** Renames a channel or sets its topic (CONTRACT §14); throws the API's refusal (name taken, unchanged). */
  async changeChannel(channelId: string, change: { type: "channel_renamed"; name: string } | { type: "channel_topic_set"; topic: string }): Promise<void> {
    const payload = { ...change, channelId };
    this.deps.sync.receive(this.stored(payload, await this.post(payload, this.deps.newId())));
  }

  /** Changes our display name (stream `user-<userId>`); the answer's seq orders it against pushed renames. */
  renameMe(name: string): Promise<WriteAnswer> {
    return this.post({ type: "user_renamed", name }, this.deps.newId());
  }

  private change(write: outbox.OutgoingChange): void {
    this.deps.setOutbox(outbox.add(this.deps.getOutbox(), write));
    void this.deliver(write);
  }

  /** Puts a message at the end of its channel's queue of sends. */
  private enqueue(write: outbox.OutgoingMessage): void {
    const { channelId } = write;
    const run = () => this.deliverQueued(write);
    const previous = this.sendQueues.get(channelId);
    const next = previous ? previous.then(run, run) : run();
    this.sendQueues.set(channelId, next);
    const forget = () => {
      if (this.sendQueues.get(channelId) === next) this.sendQueues.delete(channelId);
    };
    next.then(forget, forget);
  }

  /** Sends a queued message, unless it was discarded (or is no longer to be sent) while it waited. */
  private async deliverQueued(write: outbox.OutgoingMessage): Promise<void> {
    const current = this.deps.getOutbox().find((w) => w.idempotencyKey === write.idempotencyKey);
    if (current?.status !== "sending") return;
    await this.deliver(write);
  }

  private async deliver(write: outbox.Outgoing): Promise<void> {
    const { channelId, messageId } = write;
    const body =
      write.kind === "send"
        ? { type: "message_sent", channelId, messageId, text: write.text }
        : write.kind === "edit"
          ? { type: "message_edited", channelId, messageId, text: write.text }
          : { type: "message_deleted", channelId, messageId };
    try {
      const answer = await this.post(body, write.idempotencyKey);
      this.deps.setOutbox(outbox.update(this.deps.getOutbox(), write.idempotencyKey, { status: "sent", seq: answer.seq }));
      this.deps.sync.note(channelId, answer.seq);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (write.kind === "send") {
        this.deps.setOutbox(outbox.update(this.deps.getOutbox(), write.idempotencyKey, { status: "failed", error: reason }));
        return;
      }
      this.deps.setOutbox(outbox.remove(this.deps.getOutbox(), write.idempotencyKey));
      this.deps.notice(`Your ${write.kind === "edit" ? "edit" : "deletion"} was not saved: ${reason}`);
    }
  }

  /** Posts, trying again (same key) while the failure is worth it: no answer, 429, 5xx. */
  private async post(body: { type: string } & Record<string, unknown>, idempotencyKey: string): Promise<WriteAnswer> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.api.post(body, idempotencyKey);
      } catch (error) {
        if (!(error instanceof ApiError) || !error.retryable || attempt + 1 >= maxAttempts) throw error;
        const delay = error.retryAfterMs ?? backoffDelay(attempt, retryPolicy, this.deps.random);
        await new Promise<void>((resolve) => this.deps.timers.setTimeout(resolve, delay));
      }
    }
  }

  /** The stored event, as the store built it from what we sent and its answer. */
  private stored(payload: { type: ChannelEvent["type"]; channelId: string } & Record<string, unknown>, answer: WriteAnswer): ChannelEvent {
    const envelope: Envelope = { eventId: answer.eventId, stream: answer.stream, seq: answer.seq, timestamp: answer.timestamp, userId: this.deps.me.userId };
    return { ...payload, ...envelope } as ChannelEvent;
  }
}
