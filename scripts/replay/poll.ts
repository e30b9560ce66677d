/**
 * Waits for a replay to end, polling DescribeReplay. Time and waiting are injected (tests
 * run it on a fake clock). A cancel signal (Ctrl-C) makes it request CancelReplay once and
 * keep polling until the replay is CANCELLED (or ended otherwise meanwhile).
 */
import type { ReplayStatus } from "./progress";

export const finalStates: readonly string[] = ["COMPLETED", "FAILED", "CANCELLED"];

/** Waits `ms`, or less if `signal` aborts first; never rejects. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface PollOptions {
  describe(): Promise<ReplayStatus>;
  sleep: Sleep;
  intervalMs: number;
  onStatus(status: ReplayStatus): void;
  cancel?: { signal: AbortSignal; request(): Promise<void> };
}

export async function pollReplay(options: PollOptions): Promise<ReplayStatus & { cancelRequested: boolean }> {
  const { cancel } = options;
  let cancelRequested = false;
  for (;;) {
    if (cancel?.signal.aborted && !cancelRequested) {
      cancelRequested = true;
      await cancel.request();
    }
    const status = await options.describe();
    options.onStatus(status);
    if (status.State !== undefined && finalStates.includes(status.State)) return { ...status, cancelRequested };
    await options.sleep(options.intervalMs, cancelRequested ? undefined : cancel?.signal);
  }
}

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
