/**
 * A flat bag of named counters ("s3|ours|channel|put|ok|n" → 12), cheap to bump from the
 * proxies and easy to snapshot: a phase's figures are the difference of two snapshots.
 */
export type Counts = Record<string, number>;

export class Counters {
  private readonly values = new Map<string, number>();

  add(key: string, amount = 1): void {
    if (amount === 0) return;
    this.values.set(key, (this.values.get(key) ?? 0) + amount);
  }

  snapshot(): Counts {
    return Object.fromEntries(this.values);
  }
}

/** `after - before`, key by key. */
export function diff(after: Counts, before: Counts): Counts {
  const out: Counts = {};
  for (const [key, value] of Object.entries(after)) {
    const delta = value - (before[key] ?? 0);
    if (delta !== 0) out[key] = delta;
  }
  return out;
}

/** Sums the counters whose `|`-separated parts match the pattern; `*` matches any part. */
export function sum(counts: Counts, pattern: string): number {
  const want = pattern.split("|");
  let total = 0;
  for (const [key, value] of Object.entries(counts)) {
    const parts = key.split("|");
    if (parts.length !== want.length) continue;
    if (want.every((w, i) => w === "*" || w.split(",").includes(parts[i] as string))) total += value;
  }
  return total;
}

/** The distinct values of one part among keys that match the pattern (`?` marks the part). */
export function values(counts: Counts, pattern: string): string[] {
  const want = pattern.split("|");
  const at = want.indexOf("?");
  const found = new Set<string>();
  for (const key of Object.keys(counts)) {
    const parts = key.split("|");
    if (parts.length !== want.length) continue;
    if (want.every((w, i) => i === at || w === "*" || w.split(",").includes(parts[i] as string))) found.add(parts[at] as string);
  }
  return [...found].sort();
}
