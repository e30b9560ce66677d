/**
 * The person's read marks as the browser holds them: the server's (`views/users/me`), moved
 * forward here at once as channels are read, and sent with `PUT read-marks/<channelId>` a
 * moment later (one request per channel for a burst of moves), only forward and only for
 * channels the person is in. For each mark it also knows how many messages it covers, read
 * from the channel's pages when needed, which is what unread counts are made of. It also
 * decides when a channel is read: once the server's marks are known, a channel seen for the
 * first time starts read, and the open channel is read while its list shows the latest
 * message in a visible tab; its mark at opening is kept for the "New" line.
 */
import type { ChatApi } from "../api/apiError";
import type { ChannelPage } from "../../../functions/domain/projections/channel";
import { type Counted, countThrough, type Marks, mergeMarks, moveMark, type ReadMarks } from "./readMarks";
import type { Timeline } from "./timeline";
import type { TimerHandle, Timers } from "./timers";

export interface ReadStateDeps {
  api: Pick<ChatApi, "view" | "putReadMark">;
  timers: Timers;
  /** A copy kept across reloads (moves the server may not have yet). */
  cache?: ReadMarks;
  isMember(channelId: string): boolean;
  /** Something read asynchronously (the server's marks, a count) changed the state. */
  onChange(): void;
  /** How long moves gather before they are sent (default 500 ms). */
  debounceMs?: number;
}

/** Pages read at most to count the messages up to a mark; further back counts as read. */
const maxProbePages = 5;

export class ReadState {
  private current: Marks;
  private counts = new Map<string, Counted>();
  private sent: Marks = {};
  private timer: TimerHandle | undefined;
  private readonly probing = new Set<string>();
  /** Whether the server's marks were read (until then nothing is marked read by being seen). */
  loaded = false;
  /** The open channel's list shows its latest message (it starts so, unless opened at unread ones). */
  private atLatest = true;
  private openedAt: { channelId: string; seq: number } | undefined;

  constructor(private readonly deps: ReadStateDeps) {
    this.current = deps.cache?.load() ?? {};
  }

  get marks(): Marks {
    return this.current;
  }

  get counted(): ReadonlyMap<string, Counted> {
    return this.counts;
  }

  /** The open channel's mark when it was opened (once known). */
  get unreadAfter(): { channelId: string; seq: number } | undefined {
    return this.openedAt;
  }

  /** Another channel (or none) is on screen. */
  open(): void {
    this.atLatest = true;
    this.openedAt = undefined;
  }

  /** Whether the open channel's list shows its latest message; true when that changed. */
  setAtLatest(atLatest: boolean): boolean {
    if (this.atLatest === atLatest) return false;
    this.atLatest = atLatest;
    return true;
  }

  /** Moves the marks for what is on screen (see above), then counts what the marks cover. Says nothing to `onChange`. */
  advance(timelines: ReadonlyMap<string, Timeline>, userId: string, openId: string | undefined, visible: boolean): void {
    if (!this.loaded) return;
    for (const [channelId, t] of timelines) {
      if (t.head?.members.includes(userId) && this.current[channelId] === undefined) this.read(channelId, t.head.lastSeq, t.head.messageCount);
    }
    const head = openId ? timelines.get(openId)?.head : undefined;
    if (openId && head && this.openedAt?.channelId !== openId) {
      this.openedAt = { channelId: openId, seq: this.current[openId] ?? head.lastSeq };
      this.atLatest = this.openedAt.seq >= head.lastSeq;
    }
    if (openId && head && visible && this.atLatest && head.members.includes(userId)) this.read(openId, head.lastSeq, head.messageCount);
    this.count(timelines);
  }

  /** The server's marks, from `views/users/me` (undefined: it could not be read). */
  fromServer(marks: Marks | undefined): void {
    this.loaded = true;
    if (marks) {
      this.sent = mergeMarks(this.sent, marks);
      this.current = mergeMarks(this.current, marks);
    }
    this.deps.onChange();
  }

  /** Read up to `seq`, which covers `count` messages; sent to the server shortly. Says nothing to `onChange`. */
  read(channelId: string, seq: number, count: number): void {
    const next = moveMark(this.current, channelId, seq);
    if (next === this.current) return;
    this.current = next;
    this.counts = new Map([...this.counts, [channelId, { mark: seq, count }]]);
    this.deps.cache?.save(next);
    if (this.timer === undefined) this.timer = this.deps.timers.setTimeout(() => this.flush(), this.deps.debounceMs ?? 500);
  }

  /** Finds how many messages each channel's mark covers where that is not known yet: from the pages loaded, else by reading them. */
  count(timelines: ReadonlyMap<string, Timeline>): void {
    for (const [channelId, t] of timelines) {
      const mark = this.current[channelId];
      if (!t.head || mark === undefined || mark >= t.head.lastSeq || this.counts.get(channelId)?.mark === mark) continue;
      const found = t.pages && countThrough(t.pages.values(), t.head.pageSize, mark);
      if (found !== undefined) this.counts = new Map([...this.counts, [channelId, { mark, count: found }]]);
      else void this.probe(channelId, mark, t.head.pageCount, t.head.pageSize);
    }
  }

  dispose(): void {
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
  }

  private async probe(channelId: string, mark: number, pageCount: number, pageSize: number): Promise<void> {
    if (this.probing.has(channelId)) return;
    this.probing.add(channelId);
    try {
      const pages: ChannelPage[] = [];
      let found: number | undefined;
      for (let n = pageCount - 1; n >= 0 && n >= pageCount - maxProbePages && found === undefined; n--) {
        pages.push(await this.deps.api.view<ChannelPage>(`channels/${channelId}/pages/${n}`));
        found = countThrough(pages, pageSize, mark);
      }
      this.counts = new Map([...this.counts, [channelId, { mark, count: found ?? Math.max(0, pageCount - maxProbePages) * pageSize }]]);
      this.deps.onChange();
    } catch {
      // Counted again on the next change.
    } finally {
      this.probing.delete(channelId);
    }
  }

  private flush(): void {
    this.timer = undefined;
    for (const [channelId, seq] of Object.entries(this.current)) {
      if ((this.sent[channelId] ?? 0) >= seq || !this.deps.isMember(channelId)) continue;
      this.sent = moveMark(this.sent, channelId, seq);
      this.deps.api.putReadMark(channelId, seq).catch(() => {
        // Refused (no longer a member) or offline: the next move sends the mark again.
        if (this.sent[channelId] === seq) this.sent = { ...this.sent, [channelId]: 0 };
      });
    }
  }
}
