/**
 * The thread open beside the channel (CONTRACT §9): its replies read from the views (every
 * page), with the events about it merged in as they come (`thread.ts`): pushes, those the
 * channel's timeline took before the thread opened, and our own replies once the store
 * answered them (so one never vanishes between its answer and its push). Read again when
 * the connection comes back; a read that fails is tried again with backoff.
 */
import { channelStream, type ChannelEvent, type MessageSent } from "../../../functions/domain/events";
import type { ChannelHead, PageMessage } from "../../../functions/domain/projections/channel";
import type { ThreadHead, ThreadPage } from "../../../functions/domain/projections/thread";
import { type ChatApi, isApiError } from "../api/apiError";
import { backoffDelay, catchUpPolicy } from "./backoff";
import type { Outgoing } from "./outbox";
import * as thread from "./thread";
import type { TimerHandle, Timers } from "./timers";

/** Why a thread cannot be shown: `unavailable` (offline, a 5xx) is read again by itself. */
export type ThreadProblem = "not_found" | "forbidden" | "unavailable";

export interface OpenThread {
  thread: thread.Thread;
  /** The replies as shown (without our writes on their way: `rowsOf` adds those). */
  replies: readonly PageMessage[];
  loaded: boolean;
  problem: ThreadProblem | undefined;
}

export interface ThreadDeps {
  api: Pick<ChatApi, "view">;
  timers: Timers;
  random?: () => number;
  /** The events the channel's timeline holds now: pushes that came before the thread was opened. */
  recent(channelId: string): readonly ChannelEvent[];
  /** Our writes, and a way to hear when they change. */
  outbox(): readonly Outgoing[];
  subscribe(listener: () => void): () => void;
}

export class ThreadStore {
  private state: OpenThread | undefined;
  private readonly listeners = new Set<() => void>();
  private stopFollowingWrites: (() => void) | undefined;
  private retry: TimerHandle | undefined;
  private attempt = 0;
  /** Counts reads, so an answer for a thread closed (or read again) since is dropped. */
  private generation = 0;

  constructor(private readonly deps: ThreadDeps) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): OpenThread | undefined => this.state;

  open(channelId: string, threadId: string): void {
    const current = this.state?.thread;
    if (current?.channelId === channelId && current.threadId === threadId) return;
    this.close();
    const start = this.deps.recent(channelId).reduce(thread.receive, thread.emptyThread(channelId, threadId));
    this.set({ thread: start, replies: thread.repliesOf(start), loaded: false, problem: undefined });
    this.stopFollowingWrites = this.deps.subscribe(() => this.noteOwnReplies());
    this.noteOwnReplies();
    void this.read();
  }

  close(): void {
    this.generation++;
    this.stopFollowingWrites?.();
    this.stopFollowingWrites = undefined;
    this.cancelRetry();
    if (this.state) this.set(undefined);
  }

  dispose(): void {
    this.close();
    this.listeners.clear();
  }

  receive(event: ChannelEvent): void {
    if (!this.state) return;
    const next = thread.receive(this.state.thread, event);
    if (next !== this.state.thread) this.setThread(next);
  }

  /** The connection is back: pushes may have been missed meanwhile. */
  reconnected(): void {
    if (this.state) void this.read();
  }

  /** Our replies to this thread the store answered: held at once, as the push that follows would be. */
  private noteOwnReplies(): void {
    const t = this.state?.thread;
    if (!t) return;
    let next = t;
    for (const w of this.deps.outbox()) {
      if (w.kind !== "send" || w.threadId !== t.threadId || w.channelId !== t.channelId || w.status !== "sent" || w.seq === undefined) continue;
      if (next.events.has(w.seq) || w.seq <= next.baseSeq) continue;
      const event: MessageSent = {
        eventId: w.idempotencyKey,
        stream: channelStream(w.channelId),
        seq: w.seq,
        timestamp: w.createdAt,
        userId: w.userId,
        type: "message_sent",
        channelId: w.channelId,
        messageId: w.messageId,
        text: w.text,
        position: 0, // unknown here, and not used by a thread
        threadId: w.threadId,
      };
      next = thread.receive(next, event);
    }
    if (next !== t) this.setThread(next);
  }

  private async read(): Promise<void> {
    const t = this.state?.thread;
    if (!t) return;
    this.cancelRetry();
    const generation = ++this.generation;
    const { api } = this.deps;
    const base = `channels/${t.channelId}`;
    try {
      // The channel's head first: the thread's views read after it hold the thread up to its lastSeq.
      const head = await api.view<ChannelHead>(base);
      let replies: PageMessage[] = [];
      try {
        const info = await api.view<ThreadHead>(`${base}/threads/${t.threadId}`);
        const pages = await Promise.all(Array.from({ length: info.pageCount }, (_, n) => api.view<ThreadPage>(`${base}/threads/${t.threadId}/pages/${n}`)));
        replies = pages.flatMap((p) => p.messages);
      } catch (error) {
        if (!isApiError(error, 404) || !(error.code === "thread_not_found")) throw error; // no replies up to that head
      }
      if (generation !== this.generation || !this.state) return;
      this.attempt = 0;
      this.set({ ...this.withThread(thread.rebase(this.state.thread, { seq: head.lastSeq, replies })), loaded: true, problem: undefined });
    } catch (error) {
      if (generation !== this.generation || !this.state) return;
      const problem: ThreadProblem = isApiError(error, 403) ? "forbidden" : isApiError(error, 404) ? "not_found" : "unavailable";
      this.set({ ...this.state, problem });
      if (problem === "unavailable") this.retry = this.deps.timers.setTimeout(() => void this.read(), backoffDelay(this.attempt++, catchUpPolicy, this.deps.random));
    }
  }

  private cancelRetry(): void {
    if (this.retry !== undefined) this.deps.timers.clearTimeout(this.retry);
    this.retry = undefined;
  }

  private setThread(next: thread.Thread): void {
    this.set(this.withThread(next));
  }

  private withThread(next: thread.Thread): OpenThread {
    return { ...this.state!, thread: next, replies: thread.repliesOf(next) };
  }

  private set(next: OpenThread | undefined): void {
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }
}
