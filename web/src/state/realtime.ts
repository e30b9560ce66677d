/**
 * The realtime connection (CONTRACT §6): one WebSocket at `{wsUrl}?token=<IdToken>` that
 * hands each pushed channel event (and `user_renamed`, CONTRACT §14) to `onEvent`. It reconnects with backoff when the socket
 * closes, with a fresh token each time, and calls `onOpen` on every open so the client can
 * read the views for whatever it missed while disconnected. `wake()` is for the moments the
 * browser knows the network may have come back (online, the tab shown again, a sleep).
 * While the page is visible the wait between tries stays within a few seconds
 * (`reconnectPolicy`); a hidden page waits longer (`hiddenPolicy`), and is woken when shown.
 */
import type { ChannelEvent, UserEvent } from "../../../functions/domain/events";
import { type BackoffPolicy, backoffDelay, hiddenReconnectPolicy, reconnectPolicy } from "./backoff";
import type { TimerHandle, Timers } from "./timers";

/**
 * The part of the browser's WebSocket this client uses. Handlers are declared as taking
 * `never` so the DOM's WebSocket fits; messages are read as `{ data }`.
 */
export interface SocketLike {
  onopen: ((event: never) => void) | null;
  onmessage: ((message: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  close(): void;
}

export type ConnectionStatus = "connecting" | "open" | "waiting" | "stopped";

export interface RealtimeOptions {
  /** The URL to connect to, with a token valid now. */
  url(): Promise<string>;
  open(url: string): SocketLike;
  onEvent(event: ChannelEvent | UserEvent): void;
  onOpen(): void;
  onStatus?(status: ConnectionStatus): void;
  timers: Timers;
  random?: () => number;
  policy?: BackoffPolicy;
  /** The policy while the page is hidden (default `hiddenReconnectPolicy`). */
  hiddenPolicy?: BackoffPolicy;
  /** Whether the page is hidden now (default: never). */
  hidden?(): boolean;
  /** How long a socket must stay open before the backoff starts over (default 5 s). */
  stableMs?: number;
}

export class RealtimeClient {
  private socket: SocketLike | undefined;
  private attempt = 0;
  private retry: TimerHandle | undefined;
  private stable: TimerHandle | undefined;
  private state: ConnectionStatus = "stopped";

  constructor(private readonly options: RealtimeOptions) {}

  get status(): ConnectionStatus {
    return this.state;
  }

  start(): void {
    if (this.state !== "stopped") return;
    this.connect();
  }

  stop(): void {
    this.clearTimers();
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
    this.setStatus("stopped");
  }

  /** Connect now if waiting to retry; if connected, just catch up. */
  wake(): void {
    if (this.state === "stopped" || this.state === "connecting") return;
    if (this.state === "open") return this.options.onOpen();
    this.attempt = 0;
    this.connect();
  }

  /** Drops the socket (it may be half-open after a sleep) and connects again at once. */
  restart(): void {
    if (this.state === "stopped") return;
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
    this.attempt = 0;
    this.connect();
  }

  private connect(): void {
    this.clearTimers();
    this.setStatus("connecting");
    this.options.url().then(
      (url) => {
        if (this.state !== "connecting" || this.socket) return;
        this.openSocket(url);
      },
      () => this.scheduleRetry(),
    );
  }

  private openSocket(url: string): void {
    const socket = this.options.open(url);
    this.socket = socket;
    const mine = () => this.socket === socket;
    socket.onopen = () => {
      if (!mine()) return;
      this.setStatus("open");
      this.stable = this.options.timers.setTimeout(() => (this.attempt = 0), this.options.stableMs ?? 5000);
      this.options.onOpen();
    };
    socket.onmessage = (message: { data: unknown }) => {
      if (mine()) this.deliver(message.data);
    };
    socket.onclose = () => {
      if (!mine()) return;
      this.socket = undefined;
      this.scheduleRetry();
    };
    socket.onerror = () => undefined;
  }

  private deliver(data: unknown): void {
    if (typeof data !== "string") return;
    let message: { type?: unknown; event?: { stream?: unknown; seq?: unknown; type?: unknown } };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    const event = message.event;
    if (message.type !== "event" || !event || typeof event.seq !== "number") return;
    if (typeof event.stream !== "string") return;
    if (!event.stream.startsWith("channel-") && !(event.stream.startsWith("user-") && event.type === "user_renamed")) return;
    this.options.onEvent(event as ChannelEvent | UserEvent);
  }

  private scheduleRetry(): void {
    if (this.state === "stopped") return;
    this.clearTimers();
    this.setStatus("waiting");
    const { hidden, hiddenPolicy = hiddenReconnectPolicy, policy = reconnectPolicy } = this.options;
    const delay = backoffDelay(this.attempt++, hidden?.() ? hiddenPolicy : policy, this.options.random);
    this.retry = this.options.timers.setTimeout(() => this.connect(), delay);
  }

  private clearTimers(): void {
    if (this.retry !== undefined) this.options.timers.clearTimeout(this.retry);
    if (this.stable !== undefined) this.options.timers.clearTimeout(this.stable);
    this.retry = this.stable = undefined;
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.state === status) return;
    this.state = status;
    this.options.onStatus?.(status);
  }
}

/**
 * Calls `onWake` when the timer fires much later than asked: the machine slept, and a
 * socket that looks open may be dead. Returns a function that stops watching.
 */
export function watchForSleep(timers: Timers, onWake: () => void, everyMs = 5000, slackMs = 15_000): () => void {
  let last = timers.now();
  let handle: TimerHandle | undefined;
  const tick = () => {
    const now = timers.now();
    if (now - last > everyMs + slackMs) onWake();
    last = now;
    handle = timers.setTimeout(tick, everyMs);
  };
  handle = timers.setTimeout(tick, everyMs);
  return () => {
    if (handle !== undefined) timers.clearTimeout(handle);
  };
}
