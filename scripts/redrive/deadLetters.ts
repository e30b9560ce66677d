/**
 * Re-driving dead letters: each is handed again to the projection that failed it, and
 * removed from its queue only once that delivery succeeded. Projections are idempotent,
 * so a letter delivered twice (a crash between delivery and removal) is harmless.
 */
export interface DeadLetter {
  id: string;
  projection: string;
  /** The EventBridge event the projection's function failed on. */
  event: unknown;
}

export interface DeadLetterQueue {
  /** The next letters, or none when the queue is drained. */
  receive(): Promise<DeadLetter[]>;
  /** Forgets a letter that was delivered. */
  remove(letter: DeadLetter): Promise<void>;
  /** Puts back a letter whose delivery failed again (some queues need nothing done). */
  keep(letter: DeadLetter): Promise<void>;
}

export type Deliver = (letter: DeadLetter) => Promise<void>;

export interface RedriveReport {
  redriven: number;
  failed: number;
  byProjection: Record<string, number>;
}

export async function redrive(queue: DeadLetterQueue, deliver: Deliver, onLetter?: (done: number) => void): Promise<RedriveReport> {
  const report: RedriveReport = { redriven: 0, failed: 0, byProjection: {} };
  for (let letters = await queue.receive(); letters.length > 0; letters = await queue.receive()) {
    for (const letter of letters) {
      try {
        await deliver(letter);
        await queue.remove(letter);
        report.redriven++;
        report.byProjection[letter.projection] = (report.byProjection[letter.projection] ?? 0) + 1;
      } catch {
        report.failed++;
        await queue.keep(letter);
      }
      onLetter?.(report.redriven + report.failed);
    }
  }
  return report;
}
