/**
 * Our own writes (CONTRACT §3). Messages, edits and deletions show at once through the
 * outbox and are retried with the same `Idempotency-Key` (and the same `messageId`), so
 * the store keeps each exactly once however often it is sent. Channel creation, joins and
 * leaves are applied from the store's answer: it gives the event's `seq` and `timestamp`,
 * which is all the stored event adds to what we sent.
 *
 * A write that gets no answer (offline), or a 408, 429 or 5xx, is sent again by itself with
 * backoff (a few seconds at most while the page is visible) until the server answers, and at
 * once when the connection comes back (`wake`); it shows as sending, or waiting for the
 * connection, never as failed. Only a refusal (any other 4xx) fails it: the person may then
 * retry or discard a message, retry or cancel an edit or deletion, which keeps its text.
 *
 * Reactions show at once too, and go the same way. A person's reactions with one emoji to one
 * message are sent one after another, so the last press wins; a refused one (the message was
 * deleted meanwhile) is dropped, and the message shows what the server holds.
 *
 * One person's messages to a channel are sent one after another (CONTRACT §14): the next
 * `message_sent` to a channel goes out only once the one before it was answered or refused.
 * Sent side by side, a slow or jittery network stores them in whatever order the requests
 * happen to arrive, and everyone sees that order for good. The screen does not wait: every
 * message shows at once, in the order typed. Channels do not wait for each other, and edits
 * and deletions are sent at once.
 */
import type { ChannelEvent, Envelope } from "../../../functions/domain/events";
import { ApiError, type ChatApi, describeWriteError, failureKind, type WriteAnswer } from "../api/apiError";
import { backoffDelay, hiddenWriteRetryPolicy, writeRetryPolicy } from "./backoff";
import type { ChannelSync } from "./channelSync";
import * as outbox from "./outbox";
import type { TimerHandle, Timers } from "./timers";

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
  random?: () => number;
  /** Whether the page is hidden now: retries may then wait longer. */
  hidden?(): boolean;
}

/** Channel creation, joins and leaves are tried this often before the screen says they failed. */
const maxAttempts = 3;

export class ChatWrites {
  /** Per channel (and per message and emoji for reactions), the last write in its queue: the next one starts when it settles. */
  private readonly sendQueues = new Map<string, Promise<void>>();
  /** Ends the waits before retries: the connection is back. */
  private readonly waits = new Set<() => void>();
  private disposed = false;

  constructor(private readonly deps: WriteDeps) {}

  /** Sends a message, or given `threadId` a reply in that message's thread (queued with the channel's messages). */
  send(channelId: string, text: string, threadId?: string): void {
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
      ...(threadId === undefined ? {} : { threadId }),
    };
    this.deps.setOutbox(outbox.add(this.deps.getOutbox(), write));
    this.enqueue(write);
  }

  /** Sends again, in the order given (typed), writes restored unanswered from an earlier page; refused ones wait for the person. */
  resume(writes: readonly outbox.Outgoing[]): void {
    for (const write of writes) {
      if (write.status !== "sending" && write.status !== "waiting") continue;
      if (outbox.isChange(write)) void this.deliver(write);
      else this.enqueue(write);
    }
  }

  /** The connection is back (or may be): writes waiting to be sent again go now. */
  wake(): void {
    for (const done of [...this.waits]) done();
  }

  /** Stops sending (signed out): writes still unanswered are not sent again. */
  dispose(): void {
    this.disposed = true;
    this.wake();
  }

  /** Sends a refused write again, with its first Idempotency-Key (and messageId). */
  retry(idempotencyKey: string): void {
    const write = this.deps.getOutbox().find((w) => w.idempotencyKey === idempotencyKey);
    if (!write || write.status !== "failed") return;
    this.deps.setOutbox(outbox.update(this.deps.getOutbox(), idempotencyKey, { status: "sending", error: undefined }));
    // A message goes to the back of its channel's queue; an edit or deletion goes at once.
    if (write.kind === "send") this.enqueue(write);
    else void this.deliver(write);
  }

  /** Drops a refused write (a message not sent, or an edit or deletion: the message shows as stored). */
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

  /** Gives our reaction with `emoji` to a message (`add`), or takes it back. */
  react(channelId: string, messageId: string, emoji: string, add: boolean): void {
    const write: outbox.OutgoingReaction = { kind: "react", channelId, messageId, emoji, add, userId: this.deps.me.userId, idempotencyKey: this.deps.newId(), status: "sending" };
    this.deps.setOutbox(outbox.add(this.deps.getOutbox(), write));
    this.enqueue(write);
  }

  /** Creates a channel and starts its timeline; throws the API's refusal (name taken, invalid). */
  async createChannel(input: { name: string; topic: string; private: boolean }): Promise<string> {
    const payload = { type: "channel_created" as const, channelId: this.deps.newId(), ...input };
    const answer = await this.post(payload, this.deps.newId());
    const event = this.stored(payload, answer);
    if (event.type === "channel_created") this.deps.sync.adopt(event);
    return payload.channelId;
  }

  /**
   * Opens the DM of us and these people (CONTRACT §11), or finds it open already; returns
   * its channelId. The answer is the first opening's (maybe someone else's, long ago), so
   * the DM is read from the views (and its opening, pushed to us, shows it sooner).
   */
  async openDm(memberIds: string[]): Promise<string> {
    const answer: WriteAnswer & { channelId?: string } = await this.post({ type: "dm_opened", memberIds }, this.deps.newId());
    const channelId = answer.channelId ?? answer.stream.slice("channel-".length);
    this.deps.sync.track(channelId);
    this.deps.sync.note(channelId, answer.seq);
    return channelId;
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

  /** Puts a message at the end of its channel's queue of sends (a reaction, of its message and emoji's). */
  private enqueue(write: outbox.OutgoingMessage | outbox.OutgoingReaction): void {
    const queue = write.kind === "send" ? write.channelId : `${write.channelId}|${write.messageId}|${write.emoji}`;
    const run = () => this.deliverQueued(write);
    const previous = this.sendQueues.get(queue);
    const next = previous ? previous.then(run, run) : run();
    this.sendQueues.set(queue, next);
    const forget = () => {
      if (this.sendQueues.get(queue) === next) this.sendQueues.delete(queue);
    };
    next.then(forget, forget);
  }

  /** Sends a queued write, unless it was discarded (or is no longer to be sent) while it waited. */
  private async deliverQueued(write: outbox.Outgoing): Promise<void> {
    if (this.isPending(write)) await this.deliver(write);
  }

  /** Sends a write until the server answers: stored, or refused (it then shows as failed). */
  private async deliver(write: outbox.Outgoing): Promise<void> {
    const { channelId, messageId } = write;
    const body = bodyOf(write);
    for (let attempt = 0; this.isPending(write); attempt++) {
      try {
        const answer = await this.deps.api.post(body, write.idempotencyKey);
        this.setStatus(write, { status: "sent", seq: answer.seq, error: undefined });
        this.deps.sync.note(channelId, answer.seq);
        return;
      } catch (error) {
        const kind = failureKind(error);
        if (kind === "refused" && write.kind === "react") return this.discard(write.idempotencyKey);
        if (kind === "refused") return this.setStatus(write, { status: "failed", error: describeWriteError(error) });
        this.setStatus(write, { status: kind === "offline" ? "waiting" : "sending" });
        const policy = this.deps.hidden?.() ? hiddenWriteRetryPolicy : writeRetryPolicy;
        await this.pause((error as ApiError).retryAfterMs ?? backoffDelay(attempt, policy, this.deps.random));
      }
    }
  }

  /** Still to be sent: not discarded, replaced by a later change, or refused meanwhile. */
  private isPending(write: outbox.Outgoing): boolean {
    if (this.disposed) return false;
    const current = this.deps.getOutbox().find((w) => w.idempotencyKey === write.idempotencyKey);
    return current?.status === "sending" || current?.status === "waiting";
  }

  private setStatus(write: outbox.Outgoing, change: Parameters<typeof outbox.update>[2]): void {
    if (this.isPending(write)) this.deps.setOutbox(outbox.update(this.deps.getOutbox(), write.idempotencyKey, change));
  }

  /** Waits `ms`, or until woken. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let handle: TimerHandle | undefined = undefined;
      const done = () => {
        this.waits.delete(done);
        if (handle !== undefined) this.deps.timers.clearTimeout(handle);
        resolve();
      };
      this.waits.add(done);
      handle = this.deps.timers.setTimeout(done, ms);
    });
  }

  /** Posts, trying again (same key) a few times while the failure is worth it: no answer, 429, 5xx. */
  private async post(body: { type: string } & Record<string, unknown>, idempotencyKey: string): Promise<WriteAnswer> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.api.post(body, idempotencyKey);
      } catch (error) {
        if (!(error instanceof ApiError) || !error.retryable || attempt + 1 >= maxAttempts) throw error;
        await this.pause(error.retryAfterMs ?? backoffDelay(attempt, writeRetryPolicy, this.deps.random));
      }
    }
  }

  /** The stored event, as the store built it from what we sent and its answer. */
  private stored(payload: { type: ChannelEvent["type"]; channelId: string } & Record<string, unknown>, answer: WriteAnswer): ChannelEvent {
    const envelope: Envelope = { eventId: answer.eventId, stream: answer.stream, seq: answer.seq, timestamp: answer.timestamp, userId: this.deps.me.userId };
    return { ...payload, ...envelope } as ChannelEvent;
  }
}

/** What a write posts. */
function bodyOf(write: outbox.Outgoing): { type: string } & Record<string, unknown> {
  const { channelId, messageId } = write;
  switch (write.kind) {
    case "send":
      return { type: "message_sent", channelId, messageId, text: write.text, ...(write.threadId === undefined ? {} : { threadId: write.threadId }) };
    case "edit":
      return { type: "message_edited", channelId, messageId, text: write.text };
    case "delete":
      return { type: "message_deleted", channelId, messageId };
    case "react":
      return { type: write.add ? "reaction_added" : "reaction_removed", channelId, messageId, emoji: write.emoji };
  }
}
