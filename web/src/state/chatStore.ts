/**
 * Everything the chat screen shows, as one immutable snapshot that changes as events come
 * in: the channels (timelines), who is who, the channel directory, our writes on their way,
 * and how far each channel has been read (`readState.ts`). The UI subscribes; the realtime
 * connection feeds `receive` and calls `reconnected` on every (re)connect; `wake` is for the
 * moments the network may be back (online, the tab shown). Until our channels could be read
 * it says why (`loadError`) and reads them again with backoff.
 */
import { type ChannelEvent, dmMembersOf, type UserEvent } from "../../../functions/domain/events";
import type { ChatApi } from "../api/apiError";
import { ChannelLoading } from "./channelLoading";
import { ChannelSync, type ChannelProblem } from "./channelSync";
import type { ChatState, ConnectionState } from "./chatState";
import { ChatWrites, type Me } from "./chatWrites";
import { applyPushed } from "./directory";
import * as outbox from "./outbox";
import type { ReadMarks } from "./readMarks";
import { ReadState } from "./readState";
import { SearchSession } from "./search";
import { lastSeq } from "./timeline";
import { ThreadStore } from "./threadStore";
import type { TimerHandle, Timers } from "./timers";
import type { UnsentWrites } from "./unsentWrites";
import { dmPeople } from "./dms";
import { peopleOn, UserNames } from "./userNames";

export type { Me } from "./chatWrites";
export type { ReadMarks } from "./readMarks";
export type { ChatState, ConnectionState } from "./chatState";

export interface ChatDeps {
  api: ChatApi;
  me: Me;
  timers: Timers;
  newId(): string;
  marks?: ReadMarks;
  /** Where our unanswered writes are kept across reloads (restored and sent again on start). */
  unsent?: UnsentWrites;
  random?: () => number;
}

/** A public channel we are not in gets no pushes: while it is on screen, it is read this often. */
const previewRefreshMs = 10_000;

export class ChatStore {
  readonly sync: ChannelSync;
  readonly writes: ChatWrites;
  /** The thread open beside the channel (threadStore.ts). */
  readonly threads: ThreadStore;
  /** The search on screen and its results (search.ts). */
  readonly search: SearchSession;
  private readonly names: UserNames;
  private state: ChatState;
  private readonly listeners = new Set<() => void>();
  readonly reads: ReadState;
  private visible = true;
  private previewTimer: TimerHandle | undefined;
  private readonly loader: ChannelLoading;

  constructor(private readonly deps: ChatDeps) {
    this.sync = new ChannelSync({ api: deps.api, timers: deps.timers, random: deps.random, onChange: () => this.changed() });
    this.writes = new ChatWrites({
      ...deps,
      sync: this.sync,
      getOutbox: () => this.state.outbox,
      setOutbox: (next) => this.update({ outbox: next }),
      hidden: () => !this.visible,
    });
    this.names = new UserNames({
      api: deps.api,
      timers: deps.timers,
      initial: [[deps.me.userId, deps.me.name]],
      onChange: (users) => this.update({ users, me: { ...this.state.me, name: users.get(deps.me.userId) || this.state.me.name } }),
      onBots: (bots) => this.update({ bots }),
    });
    this.reads = new ReadState({ api: deps.api, timers: deps.timers, cache: deps.marks, isMember: (id) => this.isMember(id), onChange: () => this.changed() });
    this.threads = new ThreadStore({
      api: deps.api,
      timers: deps.timers,
      random: deps.random,
      recent: (channelId) => {
        const t = this.sync.timelines.get(channelId);
        return t ? [...t.applied, ...t.waiting.values()] : [];
      },
      outbox: () => this.state.outbox,
      subscribe: this.subscribe,
    });
    this.search = new SearchSession({ api: deps.api });
    this.loader = new ChannelLoading({ ...deps, sync: this.sync, names: this.names, reads: this.reads, getState: () => this.state, update: (change) => this.update(change) });
    this.state = {
      me: deps.me,
      ready: false,
      loadError: undefined,
      visible: true,
      connection: "stopped",
      timelines: new Map(),
      problems: new Map(),
      loadingEarlier: new Set(),
      users: this.names.names,
      bots: this.names.bots,
      directory: undefined,
      outbox: deps.unsent?.restore() ?? [],
      read: this.reads.marks,
      counted: this.reads.counted,
      openChannelId: undefined,
      unreadAfter: undefined,
      removedFrom: undefined,
      notice: undefined,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): ChatState => this.state;

  /** Reads who is who, our channels and the directory, then follows our channels. */
  start(): Promise<void> {
    this.writes.resume(this.state.outbox);
    return this.load();
  }

  dispose(): void {
    this.sync.dispose();
    this.names.dispose();
    this.writes.dispose();
    this.threads.dispose();
    this.search.clear();
    this.reads.dispose();
    this.loader.dispose();
    if (this.previewTimer !== undefined) this.deps.timers.clearTimeout(this.previewTimer);
    this.listeners.clear();
  }

  receive = (event: ChannelEvent | UserEvent): void => {
    if (event.type === "user_renamed") return this.names.rename(event.userId, event.name, event.seq);
    if (event.type === "user_registered") return;
    // Before the channel's timeline: the write it settles (our reply) is in the thread by then.
    this.threads.receive(event);
    const directory = applyPushed(this.state.directory, event);
    if (directory !== this.state.directory) this.update({ directory });
    // Our own messages are never unread: sending one means we saw the channel up to it.
    // (A reply is not among the channel's messages: its position is its root's.)
    if (event.type === "message_sent" && event.userId === this.deps.me.userId && event.threadId === undefined) this.reads.read(event.channelId, event.seq, event.position + 1);
    const removed = event.type === "user_left_channel" && event.memberId === this.deps.me.userId && event.userId !== this.deps.me.userId;
    if (removed) this.removed(event.channelId, event.userId);
    if (this.sync.receive(event)) {
      // A channel we were removed from and are not looking at is no longer followed (the open one goes when the screen moves on).
      if (removed && event.channelId !== this.state.openChannelId) this.sync.untrack(event.channelId);
      return;
    }
    if (event.type === "channel_created" && event.userId === this.deps.me.userId) this.sync.adopt(event);
    // A DM someone opened with us (or we did, in another tab): it appears at once.
    if (event.type === "dm_opened" && dmMembersOf(event).includes(this.deps.me.userId)) this.sync.adopt(event);
    if (event.type === "user_joined_channel" && event.memberId === this.deps.me.userId) {
      // Our join waits for the head it follows: a head read before it was folded is then read again.
      this.sync.track(event.channelId);
      this.sync.receive(event);
    }
  };

  /** The network may be back (online, the tab shown): what waits for it goes now. */
  wake = (): void => {
    this.writes.wake();
    if (!this.state.ready) return void this.load();
    for (const [channelId, problem] of this.state.problems) if (problem === "unavailable") this.sync.refresh(channelId);
  };

  /** The socket (re)opened: send what waited for it, read what may have been missed, and again a moment later. */
  reconnected = (): void => {
    this.writes.wake();
    this.threads.reconnected();
    this.loader.reconnected();
  };

  /** Reads our channels now (the person asked to, or the network is back), if not read yet. */
  load = (): Promise<void> => this.loader.load();

  /** Compares what the views say now with what we hold, and reads every channel that moved on. */
  catchUp(): Promise<void> {
    return this.loader.catchUp();
  }

  /** Reads the directory, keeping what pushes told us that the view does not hold yet (it lags). */
  readDirectory(): Promise<void> {
    return this.loader.readDirectory();
  }

  setConnection = (connection: ConnectionState): void => this.update({ connection });

  /** The channel on screen (undefined: none). */
  open(channelId: string | undefined): void {
    const previous = this.state.openChannelId;
    if (previous === channelId) return;
    if (previous) this.sync.unfollow(previous, this.isMember(previous));
    if (channelId) this.sync.follow(channelId);
    this.reads.open();
    this.update({ openChannelId: channelId, removedFrom: channelId === this.state.removedFrom ? channelId : undefined });
    this.schedulePreview();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.update({ visible });
  }

  /** The open channel's list reached its latest message (or left it): reading it moves the mark. */
  setAtLatest(channelId: string, atLatest: boolean): void {
    if (channelId === this.state.openChannelId && this.reads.setAtLatest(atLatest)) this.changed();
  }

  /** Reads the server's read marks again (the tab came back: another device may have read meanwhile). */
  async refreshReadMarks(): Promise<void> {
    await this.loader.readMe();
  }

  /** Changes our display name; throws the API's refusal. */
  async rename(name: string): Promise<void> {
    const answer = await this.writes.renameMe(name);
    this.names.rename(this.deps.me.userId, name.trim(), answer.seq);
  }

  /** Signed out: stops sending and forgets the writes kept for a later page. */
  forgetUnsent(): void {
    this.writes.dispose();
    this.deps.unsent?.clear();
  }

  showNotice(notice: string): void {
    this.update({ notice });
  }

  dismissNotice(): void {
    this.update({ notice: undefined });
  }

  /** Reads who is who again (someone may have signed up since): for screens that offer people to choose from. */
  readUsers(): Promise<void> {
    return this.names.read();
  }

  isMember(channelId: string): boolean {
    return this.sync.timelines.get(channelId)?.head?.members.includes(this.deps.me.userId) ?? false;
  }

  private removed(channelId: string, by: string): void {
    const name = this.sync.timelines.get(channelId)?.head?.name;
    this.update({ removedFrom: channelId, notice: `${this.state.users.get(by) || "Someone"} removed you from ${name ? `#${name}` : "a channel"}.` });
  }

  private schedulePreview(): void {
    if (this.previewTimer !== undefined) this.deps.timers.clearTimeout(this.previewTimer);
    this.previewTimer = this.deps.timers.setTimeout(() => {
      const id = this.state.openChannelId;
      if (id && !this.isMember(id) && this.visible) this.sync.refresh(id);
      this.schedulePreview();
    }, previewRefreshMs);
  }

  private update(change: Partial<ChatState>): void {
    this.state = { ...this.state, ...change };
    this.changed();
  }

  private changed(): void {
    this.snapshot();
    this.deps.unsent?.save(this.state.outbox);
    for (const listener of [...this.listeners]) listener();
  }

  /** Derives the snapshot from the sync's timelines: settles our writes, moves read marks. */
  private snapshot(): void {
    const timelines = new Map(this.sync.timelines);
    let pending = this.state.outbox;
    for (const [channelId, t] of timelines) pending = outbox.settle(pending, channelId, lastSeq(t));
    this.reads.advance(timelines, this.deps.me.userId, this.state.openChannelId, this.visible);
    const problems = new Map<string, ChannelProblem>();
    const loadingEarlier = new Set<string>();
    for (const channelId of timelines.keys()) {
      const problem = this.sync.problem(channelId);
      if (problem) problems.set(channelId, problem);
      if (this.sync.isLoadingEarlier(channelId)) loadingEarlier.add(channelId);
    }
    this.state = { ...this.state, timelines, problems, loadingEarlier, outbox: pending, read: this.reads.marks, counted: this.reads.counted, unreadAfter: this.reads.unreadAfter };
    // The sidebar names each DM by its people: they are on screen too.
    this.names.want([...peopleOn(timelines.get(this.state.openChannelId ?? "")), ...dmPeople(timelines)]);
  }
}
