/**
 * Our writes not answered yet, kept in the browser's storage (per person, beside the drafts)
 * from the moment they are queued until they are answered (stored, or refused and
 * discarded), so a reload or a closed tab during an outage loses none: the next start
 * restores them into the outbox and sends them again, same `Idempotency-Key` and
 * `messageId`, so each is stored once even if the first request had reached the server.
 *
 * Each write has a key of its own (`chat.outbox.<userId>.<idempotencyKey>`), so two tabs of
 * one person never overwrite each other's list; a tab that restores writes another tab is
 * still sending sends them too, which the `Idempotency-Key` makes harmless (the server gives
 * the first answer, or 409 `request_in_progress`, retried, while the first is at work).
 */
import type { Outgoing } from "./outbox";

/** The part of the Web Storage API used (localStorage, or a test's map). */
export interface WriteStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A write as stored: `order` keeps the typed order across reloads. */
interface Kept {
  order: number;
  write: Outgoing;
}

const prefixOf = (userId: string) => `chat.outbox.${userId}.`;

export class UnsentWrites {
  /** What this tab has stored, by Idempotency-Key: the write object and its order. */
  private readonly kept = new Map<string, Kept>();
  private nextOrder: number;
  private stopped = false;

  constructor(
    private readonly storage: WriteStorage,
    private readonly userId: string,
    now: number,
  ) {
    // Orders grow with time, so writes queued after a reload come after the restored ones.
    this.nextOrder = now * 1000;
  }

  /** The writes kept by an earlier page (or another tab) of this person, in the order typed. */
  restore(): Outgoing[] {
    const prefix = prefixOf(this.userId);
    const found: Kept[] = [];
    try {
      for (let i = 0; i < this.storage.length; i++) {
        const key = this.storage.key(i);
        if (!key?.startsWith(prefix)) continue;
        const kept = JSON.parse(this.storage.getItem(key) ?? "null") as Kept | null;
        if (kept?.write?.idempotencyKey === key.slice(prefix.length)) found.push(kept);
      }
    } catch {
      return []; // storage refused (private mode) or garbled: nothing to restore
    }
    found.sort((a, b) => a.order - b.order);
    for (const k of found) {
      this.kept.set(k.write.idempotencyKey, k);
      this.nextOrder = Math.max(this.nextOrder, k.order + 1);
    }
    return found.map((k) => k.write);
  }

  /** Keeps the outbox's unanswered writes (not `sent`) and lets go of the others. */
  save(outbox: readonly Outgoing[]): void {
    if (this.stopped) return;
    const unanswered = new Set<string>();
    for (const write of outbox) {
      if (write.status === "sent") continue;
      unanswered.add(write.idempotencyKey);
      const kept = this.kept.get(write.idempotencyKey);
      if (kept?.write === write) continue;
      const next = { order: kept?.order ?? this.nextOrder++, write };
      this.kept.set(write.idempotencyKey, next);
      this.put(write.idempotencyKey, JSON.stringify(next));
    }
    for (const key of [...this.kept.keys()]) {
      if (unanswered.has(key)) continue;
      this.kept.delete(key);
      this.put(key, undefined);
    }
  }

  /** Forgets every kept write of this person (signed out), and keeps nothing more. */
  clear(): void {
    this.stopped = true;
    this.kept.clear();
    const prefix = prefixOf(this.userId);
    try {
      const keys: string[] = [];
      for (let i = 0; i < this.storage.length; i++) {
        const key = this.storage.key(i);
        if (key?.startsWith(prefix)) keys.push(key);
      }
      for (const key of keys) this.storage.removeItem(key);
    } catch {
      // refused: nothing was kept either
    }
  }

  private put(idempotencyKey: string, value: string | undefined): void {
    const key = prefixOf(this.userId) + idempotencyKey;
    try {
      if (value === undefined) this.storage.removeItem(key);
      else this.storage.setItem(key, value);
    } catch {
      // full or refused: the write lives as long as the page does
    }
  }
}
