/**
 * Generations of views. Each projection writes under `<projection>/<generation>/`, and
 * `generations.json` says which generation of each projection readers and live runs use.
 * A rebuild fills a fresh generation and switches the pointer only when it is complete,
 * so nobody ever reads a half-built view; the old generation is deleted afterwards.
 */
import type { ProjectionName } from "../domain/routes";
import type { ViewStore } from "../ports";

export const generationsKey = "generations.json";
export const firstGeneration = "g0";
export type Generations = Partial<Record<ProjectionName, string>>;

export async function readGenerations(views: Pick<ViewStore, "get">): Promise<Generations> {
  return (await views.get<Generations>(generationsKey))?.doc ?? {};
}

export const prefixOf = (projection: ProjectionName, generation: string) => `${projection}/${generation}/`;

/** The view store as one generation of one projection sees it. */
export function scoped(views: ViewStore, projection: ProjectionName, generation: string): ViewStore {
  const prefix = prefixOf(projection, generation);
  return {
    get: (key) => views.get(prefix + key),
    put: (key, body, condition, meta) => views.put(prefix + key, body, condition, meta),
    meta: (key) => views.meta(prefix + key),
  };
}

/** The same, for readers: only `get` goes through (the views function may only read). */
export function reader(views: Pick<ViewStore, "get" | "meta">, projection: ProjectionName, generation: string): Pick<ViewStore, "get" | "meta"> {
  const prefix = prefixOf(projection, generation);
  return { get: (key) => views.get(prefix + key), meta: (key) => views.meta(prefix + key) };
}

export async function currentViews(views: ViewStore, projection: ProjectionName): Promise<ViewStore> {
  const generations = await readGenerations(views);
  return scoped(views, projection, generations[projection] ?? firstGeneration);
}

/** Points readers and live runs of `projection` at `generation`; returns the one it replaced. */
export async function switchGeneration(views: ViewStore, projection: ProjectionName, generation: string): Promise<string> {
  for (;;) {
    const found = await views.get<Generations>(generationsKey);
    const current = found?.doc ?? {};
    const next = { ...current, [projection]: generation };
    const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => (a < b ? -1 : 1)));
    const outcome = await views.put(generationsKey, JSON.stringify(sorted), found ? { etag: found.etag } : { absent: true });
    if (outcome === "ok") return current[projection] ?? firstGeneration;
  }
}
