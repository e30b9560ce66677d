/**
 * Stand-ins for the browser state's ports, for DOM-free unit tests: a clock whose time only
 * moves when the test says so, views folded from fixture streams (optionally lagging behind
 * them, as the real projections do), a scripted API for writes, and fake sockets.
 */
import type { ChannelEvent } from "../../functions/domain/events";
import { applyChannelEvent, type ChannelHead, type ChannelPage, type ChannelViews, mergeEdits } from "../../functions/domain/projections/channel";
import { applyToThread, publicThread, threadPageKey, type ThreadViews } from "../../functions/domain/projections/thread";
import { ApiError, type ChatApi, type SearchAnswer, type WriteAnswer } from "../../web/src/api/apiError";
import type { SocketLike } from "../../web/src/state/realtime";
import type { TimerHandle, Timers } from "../../web/src/state/timers";
import { ChannelHistory } from "./domainFixtures";

/** Lets pending promise callbacks run (a few rounds, for chains of awaits). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class FakeTimers implements Timers {
  private time = 1_000_000;
  private nextId = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();

  now = (): number => this.time;

  setTimeout = (fn: () => void, ms: number): TimerHandle => {
    const id = this.nextId++;
    this.due.set(id, { at: this.time + ms, fn });
    return id as unknown as TimerHandle;
  };

  clearTimeout = (handle: TimerHandle): void => {
    this.due.delete(handle as unknown as number);
  };

  get pending(): number {
    return this.due.size;
  }

  /** Time passes with no timer running (the machine sleeps); they run late, at the next `advance`. */
  sleep(ms: number): void {
    this.time += ms;
  }

  /** Moves time forward, running each timer that falls due (in order) and what it awaits. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    for (;;) {
      const next = [...this.due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.due.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].fn();
      await settle();
    }
    this.time = end;
  }
}

/** The channel views as the views API serves them, folded from fixture histories up to a seq. */
export class FakeViews {
  readonly histories = new Map<string, ChannelHistory>();
  /** Per channel, the last seq the views include (absent: all of it). */
  readonly lag = new Map<string, number>();
  readonly forbidden = new Set<string>();
  readonly reads: string[] = [];

  add(history: ChannelHistory): ChannelHistory {
    this.histories.set(history.channelId, history);
    return history;
  }

  async view<T>(path: string): Promise<T> {
    this.reads.push(path);
    const thread = /^channels\/([^/]+)\/threads\/([^/]+)(?:\/pages\/(\d+))?$/.exec(path);
    if (thread?.[1] && thread[2]) return this.thread(thread[1], thread[2], thread[3] === undefined ? undefined : Number(thread[3])) as T;
    const match = /^channels\/([^/]+)(?:\/pages\/(\d+))?$/.exec(path);
    const history = match?.[1] ? this.histories.get(match[1]) : undefined;
    if (!match?.[1] || !history) throw new ApiError(404, "view_not_found", "No such view (yet).");
    if (this.forbidden.has(match[1])) throw new ApiError(403, "forbidden", "This channel is private to its members.");
    const views = this.fold(history);
    if (!views.head) throw new ApiError(404, "view_not_found", "No such view (yet).");
    if (match[2] === undefined) return structuredClone(views.head) as T;
    const n = Number(match[2]);
    const page = views.pages.get(n);
    if (!page || n >= views.head.pageCount) throw new ApiError(404, "view_not_found", "No such view (yet).");
    return structuredClone(mergeEdits(page, views.edits.get(n))) as T;
  }

  headOf(channelId: string): ChannelHead {
    const history = this.histories.get(channelId);
    if (!history) throw new Error(`no history ${channelId}`);
    return this.fold(history).head!;
  }

  /** A thread's head or page (CONTRACT §9), folded as the channel's runner does; 404 `thread_not_found` before its first reply. */
  private thread(channelId: string, threadId: string, page: number | undefined): unknown {
    const history = this.histories.get(channelId);
    if (!history) throw new ApiError(404, "view_not_found", "No such view (yet).");
    if (this.forbidden.has(channelId)) throw new ApiError(403, "forbidden", "This channel is private to its members.");
    const upTo = this.lag.get(channelId) ?? Infinity;
    const views: ThreadViews = { threads: new Map(), pages: new Map() };
    for (const event of history.events) if (event.seq <= upTo) applyToThread(views, event);
    const stored = views.threads.get(threadId);
    if (!stored) throw new ApiError(404, "thread_not_found", "No replies to this message (yet).");
    if (page === undefined) return structuredClone(publicThread(stored));
    const found = stored.openPage?.page === page ? stored.openPage : views.pages.get(threadPageKey(threadId, page));
    if (!found) throw new ApiError(404, "view_not_found", "No such view (yet).");
    return structuredClone(found);
  }

  private fold(history: ChannelHistory): ChannelViews {
    const upTo = this.lag.get(history.channelId) ?? Infinity;
    const views: ChannelViews = { head: undefined, pages: new Map<number, ChannelPage | undefined>(), edits: new Map() };
    for (const event of history.events) if (event.seq <= upTo) applyChannelEvent(views, event);
    return views;
  }
}

export type PostHandler = (body: { type: string } & Record<string, unknown>, idempotencyKey: string) => WriteAnswer | Promise<WriteAnswer>;

/** Views from `FakeViews`; writes answered by `onPost` (which a test scripts), each one recorded. */
export class FakeApi implements ChatApi {
  readonly posts: { body: { type: string } & Record<string, unknown>; idempotencyKey: string }[] = [];
  onPost: PostHandler = () => {
    throw new ApiError(500, "not_scripted", "no post handler");
  };
  other: Record<string, unknown> = {};

  constructor(readonly views = new FakeViews()) {}

  view<T>(path: string): Promise<T> {
    if (path in this.other) {
      this.views.reads.push(path);
      const value = this.other[path];
      return value instanceof Error ? Promise.reject(value) : Promise.resolve(structuredClone(value) as T);
    }
    return this.views.view<T>(path);
  }

  async post(body: { type: string } & Record<string, unknown>, idempotencyKey: string): Promise<WriteAnswer> {
    this.posts.push({ body, idempotencyKey });
    return this.onPost(body, idempotencyKey);
  }

  /** Searches asked for, in order, answered by `onSearch` (which a test scripts; nothing found by default). */
  readonly searches: { query: string; cursor?: string }[] = [];
  onSearch: (query: string, cursor?: string) => SearchAnswer | Promise<SearchAnswer> = (query) => ({ query, results: [] });

  async search(query: string, cursor?: string): Promise<SearchAnswer> {
    this.searches.push({ query, ...(cursor ? { cursor } : {}) });
    return this.onSearch(query, cursor);
  }

  /** Read marks put, in order. */
  readonly marksPut: { channelId: string; seq: number }[] = [];

  async putReadMark(channelId: string, seq: number): Promise<void> {
    this.marksPut.push({ channelId, seq });
  }
}

/** The answer the store gives for an event it stored. */
export const answerFor = (event: ChannelEvent): WriteAnswer => ({ eventId: event.eventId, stream: event.stream, seq: event.seq, timestamp: event.timestamp });

export class FakeSocket implements SocketLike {
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;

  constructor(readonly url: string) {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }

  /** The server side: */
  accept(): void {
    this.onopen?.();
  }
  push(event: ChannelEvent): void {
    this.onmessage?.({ data: JSON.stringify({ type: "event", event }) });
  }
  drop(): void {
    this.onclose?.();
  }
}
