/**
 * Who is who (`views/users`). Someone on screen whose name is not known yet (they just
 * signed up) makes it read the users at once, and again every two seconds, a few times,
 * while the users view lags behind. A pushed rename (`user_renamed`) applies at once, and a
 * read of the users view that still has the old name does not undo it. The view marks apps'
 * bots (`"bot": true`): they are kept apart, so that a bot's messages say so.
 */
import type { Timeline } from "./timeline";
import type { TimerHandle, Timers } from "./timers";

export interface UserNamesDeps {
  api: { view<T>(path: string): Promise<T> };
  timers: Timers;
  initial: Iterable<[string, string]>;
  onChange(names: ReadonlyMap<string, string>): void;
  /** The users the view marks as bots changed. */
  onBots?(bots: ReadonlySet<string>): void;
}

const everyMs = 2000;
const maxTries = 10;

export class UserNames {
  private current: ReadonlyMap<string, string>;
  private currentBots: ReadonlySet<string> = new Set();
  private readAt = -Infinity;
  private timer: TimerHandle | undefined;
  private tries = 0;
  private wanted: string[] = [];
  /** Renames pushed, by user: the latest seq and name, kept over the view's until it has them. */
  private readonly renamed = new Map<string, { seq: number; name: string }>();

  constructor(private readonly deps: UserNamesDeps) {
    this.current = new Map(deps.initial);
  }

  get names(): ReadonlyMap<string, string> {
    return this.current;
  }

  /** The apps' bots among the users (a bot stays one: it is never made a person). */
  get bots(): ReadonlySet<string> {
    return this.currentBots;
  }

  async read(): Promise<void> {
    this.readAt = this.deps.timers.now();
    const found = await this.deps.api.view<{ users: { userId: string; name: string; bot?: boolean }[] }>("users").catch(() => undefined);
    const newBots = found?.users.filter((u) => u.bot === true && !this.currentBots.has(u.userId)) ?? [];
    if (newBots.length > 0) {
      this.currentBots = new Set([...this.currentBots, ...newBots.map((u) => u.userId)]);
      this.deps.onBots?.(this.currentBots);
    }
    for (const u of found?.users ?? []) if (this.renamed.get(u.userId)?.name === u.name) this.renamed.delete(u.userId);
    const changed = found?.users.filter((u) => this.current.get(u.userId) !== u.name && !this.renamed.has(u.userId)) ?? [];
    if (changed.length > 0) {
      const names = new Map(this.current);
      for (const u of changed) names.set(u.userId, u.name);
      this.current = names;
      this.deps.onChange(names);
    }
    this.want(this.wanted);
  }

  /** Someone renamed themselves (a push, or our own rename's answer): the later seq wins. */
  rename(userId: string, name: string, seq: number): void {
    if ((this.renamed.get(userId)?.seq ?? 0) >= seq) return;
    this.renamed.set(userId, { seq, name });
    if (this.current.get(userId) === name) return;
    this.current = new Map([...this.current, [userId, name]]);
    this.deps.onChange(this.current);
  }

  /** These people are on screen: make sure they get a name. */
  want(userIds: Iterable<string>): void {
    const unknown = [...new Set(userIds)].filter((id) => !this.current.has(id));
    this.wanted = unknown;
    if (unknown.length === 0) return void (this.tries = 0);
    if (this.timer !== undefined || this.tries >= maxTries) return;
    // The first read for someone new goes at once; reading again waits for the view to catch up.
    const wait = this.tries === 0 ? 0 : Math.max(0, this.readAt + everyMs - this.deps.timers.now());
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = undefined;
      this.tries++;
      void this.read();
    }, wait);
  }

  dispose(): void {
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
  }
}

/** The members and authors of a channel on screen: the people it must name. */
export function peopleOn(t: Timeline | undefined): string[] {
  if (!t?.head) return [];
  const ids = [...t.head.members];
  for (const page of t.pages?.values() ?? []) for (const m of page.messages) if (m) ids.push(m.userId);
  return ids;
}
