/** One line of replay progress: state, the last replayed event's time, and a bar over from..to. */
import type { ReplayState } from "@aws-sdk/client-eventbridge";

export interface ReplayStatus {
  State?: ReplayState | string;
  StateReason?: string;
  EventLastReplayedTime?: Date;
}

/** How far the replay is through its window, 0..1 (1 once COMPLETED). */
export function replayedFraction(status: ReplayStatus, from: Date, to: Date): number {
  if (status.State === "COMPLETED") return 1;
  const last = status.EventLastReplayedTime?.getTime();
  if (last === undefined) return 0;
  return Math.min(1, Math.max(0, (last - from.getTime()) / (to.getTime() - from.getTime())));
}

export function renderProgress(status: ReplayStatus, from: Date, to: Date, elapsedMs: number, width = 30): string {
  const fraction = replayedFraction(status, from, to);
  const filled = Math.round(fraction * width);
  const last = status.EventLastReplayedTime ? status.EventLastReplayedTime.toISOString() : "nothing yet";
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const reason = status.StateReason ? `  (${status.StateReason})` : "";
  return `${(status.State ?? "?").padEnd(10)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent}  last replayed ${last}  ${seconds(elapsedMs)}${reason}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
