/**
 * A unit of work over view documents: loads each once, remembers its ETag, and writes
 * back only what changed, each with a conditional put. The document staged last is the
 * commit point (a channel's head): it is written only after everything it points at.
 */
import type { PutCondition, ViewMeta, ViewStore } from "../ports";

export class Documents {
  private readonly loaded = new Map<string, { body?: string; etag?: string }>();
  private readonly staged = new Map<string, { doc: unknown; meta?: ViewMeta }>();

  constructor(private readonly views: ViewStore) {}

  async load<T>(key: string): Promise<T | undefined> {
    const found = await this.views.get<T>(key);
    this.loaded.set(key, found ? { body: found.body, etag: found.etag } : {});
    return found?.doc;
  }

  /** Whether `key` was loaded in this unit of work (so a put of it is conditioned on what was read). */
  has(key: string): boolean {
    return this.loaded.has(key);
  }

  /** Stages a document to write; load it first, so its put is conditioned on what was read. */
  stage(key: string, doc: unknown, meta?: ViewMeta): void {
    this.staged.delete(key); // re-staging moves the key to the end: the last staged commits last
    this.staged.set(key, { doc, meta });
  }

  /**
   * Writes the staged documents `first` names now, side by side, before the rest: those the
   * others point at (a thread's sealed pages, before its head). They are written as they
   * were read back, so staging one again unchanged writes nothing more.
   */
  async commitFirst(first: (key: string) => boolean): Promise<"ok" | "conflict"> {
    const writes = [...this.staged]
      .filter(([key]) => first(key))
      .map(([key, { doc, meta }]) => ({ key, body: JSON.stringify(doc), meta }))
      .filter(({ key, body }) => this.loaded.get(key)?.body !== body);
    const outcomes = await Promise.all(writes.map((write) => this.put(write)));
    if (outcomes.includes("conflict")) return "conflict";
    for (const [key] of [...this.staged].filter(([key]) => first(key))) this.staged.delete(key);
    return "ok";
  }

  /**
   * Writes the staged documents: all but the last side by side, then the last (the commit
   * point) once they are in. "conflict" means start over from fresh reads; what was
   * written before a conflict is what a re-run writes again, so it does no harm.
   */
  async commit(): Promise<"ok" | "conflict"> {
    const writes = [...this.staged]
      .map(([key, { doc, meta }]) => ({ key, body: JSON.stringify(doc), meta }))
      .filter(({ key, body }) => this.loaded.get(key)?.body !== body);
    const last = writes.pop();
    const outcomes = await Promise.all(writes.map((write) => this.put(write)));
    if (outcomes.includes("conflict")) return "conflict";
    return last ? this.put(last) : "ok";
  }

  private put({ key, body, meta }: { key: string; body: string; meta?: ViewMeta }): Promise<"ok" | "conflict"> {
    const etag = this.loaded.get(key)?.etag;
    const condition: PutCondition = etag ? { etag } : { absent: true };
    return this.views.put(key, body, condition, meta);
  }
}

/** Runs a read-modify-write until its conditional writes go through. */
export async function withRetries(views: ViewStore, attempt: (docs: Documents) => Promise<"done" | "more" | "again" | "conflict">): Promise<void> {
  for (let tries = 0; tries < 50; tries++) {
    const docs = new Documents(views);
    const outcome = await attempt(docs);
    if (outcome === "done") return;
    if (outcome === "more" || outcome === "again") {
      tries = -1; // progress was committed, or the run chose to look again: not a conflict
      continue;
    }
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * (tries + 1))));
  }
  throw new Error("Gave up after repeated write conflicts; the delivery will be retried.");
}
