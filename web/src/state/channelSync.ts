/**
 * Keeps the browser's channel timelines current. Pushed events go straight into their
 * timeline; whenever a timeline knows of a seq it has not applied (a gap in the pushes, our
 * own write that has not come back, a newer `lastSeq` in the directory), it reads a
 * snapshot from the views after a short grace (the missing push may just be late), and
 * again with backoff while the views lag behind.
 */
import type { ChannelCreated, ChannelEvent, DmOpened } from "../../../functions/domain/events";
import type { ChannelHead, ChannelPage } from "../../../functions/domain/projections/channel";
import { ApiError } from "../api/apiError";
import { type BackoffPolicy, backoffDelay, catchUpPolicy } from "./backoff";
import * as timeline from "./timeline";
import type { TimerHandle, Timers } from "./timers";

/** Why a channel cannot be shown: `unavailable` (offline, a 5xx) is read again by itself. */
export type ChannelProblem = "not_found" | "forbidden" | "unavailable";

export interface ChannelSyncDeps {
  api: { view<T>(path: string): Promise<T> };
  timers: Timers;
  onChange(): void;
  /** How long to wait for a late push before reading the views (default 250 ms). */
  graceMs?: number;
  policy?: BackoffPolicy;
  random?: () => number;
}

export class ChannelSync {
  private readonly lines = new Map<string, timeline.Timeline>();
  private readonly problems = new Map<string, ChannelProblem>();
  private readonly following = new Set<string>();
  private readonly scheduled = new Map<string, TimerHandle>();
  private readonly attempts = new Map<string, number>();
  private readonly reading = new Set<string>();
  private readonly readAgain = new Set<string>();
  private readonly earlier = new Set<string>();

  constructor(private readonly deps: ChannelSyncDeps) {}

  get timelines(): ReadonlyMap<string, timeline.Timeline> {
    return this.lines;
  }

  problem(channelId: string): ChannelProblem | undefined {
    return this.problems.get(channelId);
  }

  isLoadingEarlier(channelId: string): boolean {
    return this.earlier.has(channelId);
  }

  /** Follows a channel's head from now on, reading it from the views first. */
  track(channelId: string): void {
    if (this.lines.has(channelId)) return;
    this.lines.set(channelId, timeline.emptyTimeline(channelId));
    void this.read(channelId);
  }

  /** Starts a timeline from the creation event (ours, or a DM's opening pushed to us: nothing to read, not even a page, as it has no messages yet). */
  adopt(event: ChannelCreated | DmOpened): void {
    const current = this.lines.get(event.channelId) ?? { ...timeline.emptyTimeline(event.channelId), pages: new Map() };
    this.set(event.channelId, timeline.receive(current, event));
  }

  untrack(channelId: string): void {
    if (this.following.has(channelId)) return;
    this.lines.delete(channelId);
    this.cancel(channelId);
    this.deps.onChange();
  }

  /** Also follows the channel's messages (it is on screen). */
  follow(channelId: string): void {
    this.following.add(channelId);
    const current = this.lines.get(channelId);
    if (!current) return this.track(channelId);
    if (!current.pages || this.problems.has(channelId)) void this.read(channelId);
  }

  unfollow(channelId: string, keepHead: boolean): void {
    this.following.delete(channelId);
    const current = this.lines.get(channelId);
    if (!current) return;
    if (!keepHead) return this.untrack(channelId);
    this.set(channelId, timeline.dropPages(current));
  }

  /** A pushed event (or our own, rebuilt from the store's answer). False for a channel not tracked. */
  receive(event: ChannelEvent): boolean {
    const current = this.lines.get(event.channelId);
    if (!current) return false;
    this.set(event.channelId, timeline.receive(current, event));
    return true;
  }

  /** A seq known to exist in the channel (our write's answer, the directory's lastSeq). */
  note(channelId: string, seq: number): void {
    const current = this.lines.get(channelId);
    if (current) this.set(channelId, timeline.noteSeq(current, seq));
  }

  /** Reads the channel from the views now (after a reconnect, say). */
  refresh(channelId: string): void {
    if (this.lines.has(channelId)) void this.read(channelId);
  }

  async loadEarlier(channelId: string): Promise<void> {
    const current = this.lines.get(channelId);
    if (!current || !timeline.hasEarlier(current) || this.earlier.has(channelId)) return;
    this.earlier.add(channelId);
    this.deps.onChange();
    try {
      const page = await this.deps.api.view<ChannelPage>(`channels/${channelId}/pages/${current.oldestPage - 1}`);
      const latest = this.lines.get(channelId);
      if (latest) this.lines.set(channelId, timeline.addEarlierPage(latest, page));
    } catch {
      // Scrolling up again tries again.
    } finally {
      this.earlier.delete(channelId);
      this.deps.onChange();
    }
  }

  dispose(): void {
    for (const channelId of [...this.scheduled.keys()]) this.cancel(channelId);
    this.lines.clear();
  }

  private set(channelId: string, next: timeline.Timeline): void {
    if (this.lines.get(channelId) === next) return;
    this.lines.set(channelId, next);
    if (this.needsRead(channelId, next)) this.schedule(channelId, this.deps.graceMs ?? 250);
    else this.cancel(channelId);
    this.deps.onChange();
  }

  /** Behind a known seq, or missing what it should show: the views have something for it. */
  private needsRead(channelId: string, t: timeline.Timeline): boolean {
    return timeline.isBehind(t) || !t.head || (this.following.has(channelId) && !t.pages);
  }

  private schedule(channelId: string, delay: number): void {
    if (this.scheduled.has(channelId) || this.reading.has(channelId)) return;
    const handle = this.deps.timers.setTimeout(() => {
      this.scheduled.delete(channelId);
      void this.read(channelId);
    }, delay);
    this.scheduled.set(channelId, handle);
  }

  private cancel(channelId: string): void {
    const handle = this.scheduled.get(channelId);
    if (handle !== undefined) this.deps.timers.clearTimeout(handle);
    this.scheduled.delete(channelId);
    this.attempts.delete(channelId);
  }

  private async read(channelId: string): Promise<void> {
    if (this.reading.has(channelId)) return void this.readAgain.add(channelId);
    const handle = this.scheduled.get(channelId);
    if (handle !== undefined) this.deps.timers.clearTimeout(handle);
    this.scheduled.delete(channelId);
    this.reading.add(channelId);
    let settled = false;
    try {
      settled = await this.readSnapshot(channelId);
    } catch (error) {
      settled = this.recordProblem(channelId, error);
    } finally {
      this.reading.delete(channelId);
    }
    const again = this.readAgain.delete(channelId);
    const current = this.lines.get(channelId);
    if (!current) return;
    if (again) return void this.read(channelId);
    if (settled && !this.needsRead(channelId, current)) return void this.attempts.delete(channelId);
    const problem = this.problems.get(channelId);
    if (problem === "forbidden" || (problem === "not_found" && !this.following.has(channelId))) return;
    const attempt = this.attempts.get(channelId) ?? 0;
    this.attempts.set(channelId, attempt + 1);
    this.schedule(channelId, backoffDelay(attempt, this.deps.policy ?? catchUpPolicy, this.deps.random));
  }

  /** True when the snapshot was taken (the timeline may still be behind it). */
  private async readSnapshot(channelId: string): Promise<boolean> {
    const head = await this.deps.api.view<ChannelHead>(`channels/${channelId}`);
    const before = this.lines.get(channelId);
    if (!before) return true;
    const withPages = this.following.has(channelId);
    const pages = withPages ? await this.readPages(channelId, head, before) : undefined;
    const current = this.lines.get(channelId);
    if (!current) return true;
    this.problems.delete(channelId);
    const next = timeline.rebase(current, { head, pages });
    this.lines.set(channelId, next);
    this.deps.onChange();
    return next !== current && (!this.following.has(channelId) || next.pages !== undefined);
  }

  private readPages(channelId: string, head: ChannelHead, current: timeline.Timeline): Promise<ChannelPage[]> {
    return Promise.all(timeline.pagesToRead(current, head).map((n) => this.deps.api.view<ChannelPage>(`channels/${channelId}/pages/${n}`)));
  }

  /**
   * A 403 is final; a 404 becomes "not found" after a few tries (a new channel's views may
   * lag); anything else (offline, a 5xx) is "unavailable" at once, and read again.
   */
  private recordProblem(channelId: string, error: unknown): boolean {
    const status = error instanceof ApiError ? error.status : 0;
    if (status === 403) this.problems.set(channelId, "forbidden");
    else if (status !== 404) this.problems.set(channelId, "unavailable");
    else if ((this.attempts.get(channelId) ?? 0) >= 3) this.problems.set(channelId, "not_found");
    else return false;
    this.deps.onChange();
    return status === 403;
  }
}
