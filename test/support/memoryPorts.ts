/** In-memory implementations of the ports, with the same conditional semantics as the real ones. */
import { createHash } from "node:crypto";
import type { StoredEvent } from "../../functions/domain/events";
import type { Accepted, Claim, ClaimStore, EventBus, EventStore, PutCondition, SnapshotSet, Stored, ViewStore } from "../../functions/ports";

export class MemoryEventStore implements EventStore {
  readonly byStream = new Map<string, Map<number, StoredEvent>>();
  private readonly snapshots = new Map<string, { version: number; state: string; set?: { version: number; items: string } }>();
  /** How many times a snapshot's set was written (not only pointed at), by stream. */
  readonly setWrites = new Map<string, number>();

  async append(event: StoredEvent) {
    const stream = this.byStream.get(event.stream) ?? new Map<number, StoredEvent>();
    this.byStream.set(event.stream, stream);
    if (stream.has(event.seq)) return "conflict" as const;
    stream.set(event.seq, structuredClone(event));
    return "appended" as const;
  }
  async read(stream: string, afterSeq: number, limit?: number) {
    const events = [...(this.byStream.get(stream)?.values() ?? [])].filter((e) => e.seq > afterSeq).sort((a, b) => a.seq - b.seq);
    return structuredClone(limit === undefined ? events : events.slice(0, limit));
  }
  async find(stream: string, afterSeq: number, eventId: string) {
    return (await this.read(stream, afterSeq)).find((e) => e.eventId === eventId);
  }
  async exists(stream: string, seq: number) {
    return this.byStream.get(stream)?.has(seq) ?? false;
  }
  async at(stream: string, seq: number) {
    const event = this.byStream.get(stream)?.get(seq);
    return event && structuredClone(event);
  }
  async readSnapshot<S>(stream: string) {
    const s = this.snapshots.get(stream);
    if (!s) return undefined;
    const set = s.set && { version: s.set.version, items: JSON.parse(s.set.items) as string[] };
    return { version: s.version, state: JSON.parse(s.state) as S, ...(set ? { set } : {}) };
  }
  async writeSnapshot<S>(stream: string, version: number, state: S, set?: SnapshotSet) {
    const current = this.snapshots.get(stream);
    if ((current?.version ?? -1) >= version) return;
    let stored = current?.set;
    if (set && stored?.version !== set.version) {
      stored = { version: set.version, items: JSON.stringify(set.items) };
      this.setWrites.set(stream, (this.setWrites.get(stream) ?? 0) + 1);
    }
    this.snapshots.set(stream, { version, state: JSON.stringify(state), ...(set && stored ? { set: stored } : {}) });
  }

  all(): StoredEvent[] {
    return [...this.byStream.values()].flatMap((s) => [...s.values()]);
  }
  async streams() {
    return [...this.byStream.entries()].map(([stream, events]) => ({ stream, lastSeq: Math.max(...events.keys()) })).sort((a, b) => (a.stream < b.stream ? -1 : 1));
  }
}

export class MemoryClaimStore implements ClaimStore {
  readonly items = new Map<string, Claim>();
  async get(key: string) {
    const c = this.items.get(key);
    return c && structuredClone(c);
  }
  async create(claim: Claim) {
    if (this.items.has(claim.key)) return false;
    this.items.set(claim.key, structuredClone(claim));
    return true;
  }
  async takeOver(previous: Claim, next: Claim) {
    const c = this.items.get(next.key);
    if (!c || c.eventId !== previous.eventId || c.leaseUntil !== previous.leaseUntil || c.result) return false;
    this.items.set(next.key, structuredClone(next));
    return true;
  }
  async reclaim(previous: Claim, next: Claim) {
    const c = this.items.get(next.key);
    if (!c || c.eventId !== previous.eventId) return false;
    this.items.set(next.key, structuredClone(next));
    return true;
  }
  async complete(key: string, eventId: string, result: Accepted, position?: number) {
    const c = this.items.get(key);
    if (c?.eventId === eventId) this.items.set(key, { ...c, result, ...(position === undefined ? {} : { position }) });
  }
  async release(key: string, eventId: string) {
    const c = this.items.get(key);
    if (c?.eventId === eventId && !c.result) this.items.delete(key);
  }
}

export class MemoryViewStore implements ViewStore {
  readonly objects = new Map<string, { body: string; etag: string; meta?: Record<string, string> }>();
  puts = 0;
  async get<T>(key: string): Promise<Stored<T> | undefined> {
    const o = this.objects.get(key);
    await tick();
    return o ? { doc: JSON.parse(o.body) as T, body: o.body, etag: o.etag } : undefined;
  }
  async put(key: string, body: string, condition: PutCondition, meta?: Record<string, string>) {
    await tick();
    const current = this.objects.get(key);
    if ("absent" in condition ? current : current?.etag !== condition.etag) return "conflict" as const;
    this.puts++;
    this.objects.set(key, { body, etag: `"${createHash("md5").update(body).digest("hex")}"`, ...(meta ? { meta: { ...meta } } : {}) });
    return "ok" as const;
  }
  async meta(key: string) {
    await tick();
    const o = this.objects.get(key);
    return o ? { ...(o.meta ?? {}) } : undefined;
  }
  async list(prefix: string) {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix));
  }
  async delete(keys: readonly string[]) {
    for (const key of keys) this.objects.delete(key);
  }
  /** Documents under a prefix, keyed without it: to compare two generations. */
  under(prefix: string): Record<string, string> {
    return Object.fromEntries([...this.objects.entries()].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v.body]).sort(([a], [b]) => ((a ?? "") < (b ?? "") ? -1 : 1)));
  }
  snapshot(): Record<string, unknown> {
    return Object.fromEntries([...this.objects.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, JSON.parse(v.body)]));
  }
}

/** A bus that records what it took and can be told to refuse. */
export class MemoryBus implements EventBus {
  readonly published: StoredEvent[] = [];
  failing = false;
  async publish(events: readonly StoredEvent[]) {
    if (this.failing) return [...events];
    this.published.push(...events);
    return [];
  }
}

/** Yields to other tasks so that concurrent runs really interleave. */
const tick = () => new Promise<void>((r) => setImmediate(r));

export function memoryAdapters(start = Date.parse("2026-01-01T00:00:00Z")) {
  let clock = start;
  let counter = 0;
  return {
    store: new MemoryEventStore(),
    claims: new MemoryClaimStore(),
    views: new MemoryViewStore(),
    bus: new MemoryBus(),
    now: () => new Date((clock += 1000)),
    advance: (ms: number) => {
      clock += ms;
    },
    newId: () => `00000000-0000-4000-8000-${(++counter).toString(16).padStart(12, "0")}`,
  };
}
