/**
 * Reading our channels: at start, and until they could be read, again with backoff (saying
 * why meanwhile: `loadError`); after every (re)connect, a catch-up that reads what moved on,
 * and again a moment later. Part of the chat store (`chatStore.ts`), whose state it updates.
 */
import type { Directory } from "../../../functions/domain/projections/directory";
import { type ChatApi, failureKind, isApiError } from "../api/apiError";
import { backoffDelay, catchUpPolicy } from "./backoff";
import type { ChannelSync } from "./channelSync";
import type { ChatState } from "./chatStore";
import { mergeDirectory } from "./directory";
import type { Marks } from "./readMarks";
import type { ReadState } from "./readState";
import type { TimerHandle, Timers } from "./timers";
import type { UserNames } from "./userNames";

export interface LoadingDeps {
  api: ChatApi;
  timers: Timers;
  random?: () => number;
  sync: ChannelSync;
  names: UserNames;
  reads: ReadState;
  getState(): ChatState;
  update(change: Partial<ChatState>): void;
}

/** Views read again a moment after a reconnect: pushes missed just before it may not be in them yet. */
const secondCatchUpMs = 3000;

export class ChannelLoading {
  private catchUpTimer: TimerHandle | undefined;
  private loadTimer: TimerHandle | undefined;
  private loading = false;
  private loadAttempts = 0;

  constructor(private readonly deps: LoadingDeps) {}

  /** Reads our channels now (the person asked to, or the network is back), if not read yet. */
  load = async (): Promise<void> => {
    if (this.state.ready || this.loading) return;
    if (this.loadTimer !== undefined) this.deps.timers.clearTimeout(this.loadTimer);
    this.loadTimer = undefined;
    this.loading = true;
    try {
      const [, channels] = await Promise.all([this.names.read(), this.readMyChannels(), this.readDirectory()]);
      for (const channelId of channels) this.sync.track(channelId);
      this.loadAttempts = 0;
      this.update({ ready: true, loadError: undefined });
    } catch (error) {
      const offline = failureKind(error) === "offline";
      const status = isApiError(error) ? ` (the server answered ${error.status})` : "";
      this.update({ loadError: offline ? "Can't reach the server. Check your connection." : `Your channels could not be loaded${status}.` });
      const delay = backoffDelay(this.loadAttempts++, catchUpPolicy, this.deps.random);
      this.loadTimer = this.deps.timers.setTimeout(() => void this.load(), delay);
    } finally {
      this.loading = false;
    }
  };

  /** The socket (re)opened: read what may have been missed, and again a moment later. */
  reconnected(): void {
    void this.catchUp();
    if (this.catchUpTimer !== undefined) this.deps.timers.clearTimeout(this.catchUpTimer);
    this.catchUpTimer = this.deps.timers.setTimeout(() => void this.catchUp(), secondCatchUpMs);
  }

  /** Compares what the views say now with what we hold, and reads every channel that moved on. */
  async catchUp(): Promise<void> {
    if (!this.state.ready) return this.load();
    const [me] = await Promise.all([this.readMe(), this.readDirectory()]);
    for (const channelId of me?.channels ?? []) this.sync.track(channelId);
    for (const entry of this.state.directory ?? []) this.sync.note(entry.channelId, entry.lastSeq);
    for (const [channelId, t] of this.sync.timelines) if (!t.head || t.pages) this.sync.refresh(channelId);
  }

  /** Reads the directory, keeping what pushes told us that the view does not hold yet (it lags). */
  async readDirectory(): Promise<void> {
    const directory = await this.deps.api.view<Directory>("channels").catch(() => undefined);
    if (directory) this.update({ directory: mergeDirectory(this.state.directory ?? [], directory.channels) });
  }

  /** `views/users/me` as it is now (undefined: it could not be read), its read marks taken in. */
  async readMe(): Promise<{ channels: string[] } | undefined> {
    const me = await this.deps.api.view<{ channels: string[]; readMarks?: Marks }>("users/me").catch(() => undefined);
    this.reads.fromServer(me?.readMarks);
    return me;
  }


  /** Our channels (`views/users/me`; a 404 is someone in none yet); throws when the view cannot be read. */
  private async readMyChannels(): Promise<string[]> {
    try {
      const me = await this.deps.api.view<{ channels: string[]; readMarks?: Marks }>("users/me");
      this.reads.fromServer(me.readMarks);
      return me.channels;
    } catch (error) {
      if (isApiError(error, 404)) return [];
      throw error;
    }
  }

  dispose(): void {
    for (const t of [this.catchUpTimer, this.loadTimer]) if (t !== undefined) this.deps.timers.clearTimeout(t);
  }

  private get state(): ChatState {
    return this.deps.getState();
  }

  private update(change: Partial<ChatState>): void {
    this.deps.update(change);
  }

  private get sync(): ChannelSync {
    return this.deps.sync;
  }

  private get names(): UserNames {
    return this.deps.names;
  }

  private get reads(): ReadState {
    return this.deps.reads;
  }
}
