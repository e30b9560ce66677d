/**
 * Rebuilds a projection's views from the event store into a fresh generation, then
 * switches readers and live runs to it and deletes the old one.
 *
 * - The channel projection is rebuilt by its own catch-up runner (so the result is the
 *   live result by construction), streams in parallel.
 * - The directory, user and mentions views are folded in memory over each stream and
 *   written once per document.
 * - Resumable: the job record (`rebuilds/<projection>.json`) keeps the generation, so a
 *   second run continues it: runners resume from the checkpoints already written, and
 *   in-memory folds are idempotent over what is there.
 * - Events appended while it runs (live runs write them to the old generation until the
 *   switch): after the switch the store is listed again and every stream that exists then,
 *   new ones included, is caught up in the new generation; the last-writer-wins folds
 *   (users, names) get a second pass. An event appended after that listing was appended
 *   after the switch, so its live run writes the new generation.
 */
import { type DirectoryEntry, emptyListing, foldEntry, type Listing, listChannel } from "../domain/projections/directory";
import { viewKeys } from "../domain/projections/keys";
import { applyToUser, applyToUsers, emptyUser, emptyUsers, mergeUser, mergeUsers, usersConcerned, type UserView, type UsersDirectory } from "../domain/projections/user";
import { type ChannelEvent, type UserRegistered, type UserRenamed } from "../domain/events";
import { type ProjectionName, routes } from "../domain/routes";
import type { EventStore, StreamListing, ViewMaintenance, ViewStore } from "../ports";
import { withRetries } from "./documents";
import { prefixOf, readGenerations, scoped, switchGeneration } from "./generations";
import { catchUpChannel, catchUpDirectory } from "./project";
import { addRegisteredNames, catchUpMentions, NamesNotYetKnown } from "./projectMentions";
import { catchUpSearch } from "./projectSearch";

export type ViewProjection = Exclude<ProjectionName, "notify">;
export const viewProjections = Object.keys(routes).filter((p): p is ViewProjection => p !== "notify");

export interface RebuildDeps {
  store: EventStore & StreamListing;
  views: ViewStore & ViewMaintenance;
  now: () => Date;
  onProgress?: (progress: { projection: ViewProjection; events: number; total: number }) => void;
}

export interface RebuildReport {
  projection: ViewProjection;
  generation: string;
  previous: string;
  events: number;
  resumed: boolean;
  /** Why the old generation could not be deleted, if it could not (run the rebuild's clean-up again). */
  cleanupError?: string;
}

const parallelStreams = 8;
const jobKey = (projection: ViewProjection) => `rebuilds/${projection}.json`;

export async function rebuild(projection: ViewProjection, deps: RebuildDeps): Promise<RebuildReport> {
  const { generation, resumed } = await startJob(projection, deps);
  const target = scoped(deps.views, projection, generation);
  const streams = await streamsOf(projection, deps.store);
  const total = streams.reduce((sum, s) => sum + s.lastSeq, 0);
  let events = 0;
  const progressed = (n: number) => {
    events += n;
    deps.onProgress?.({ projection, events, total });
  };
  await build(projection, streams.map((s) => s.stream), { ...deps, target, progressed });
  const previous = await switchGeneration(deps.views, projection, generation);
  // Events (and streams) that live runs wrote to the old generation while this one was being built.
  const present = await streamsOf(projection, deps.store);
  await catchUpAfterSwitch(projection, present.map((s) => s.stream), { ...deps, target, progressed: () => undefined });
  await deps.views.delete([jobKey(projection)]);
  // Readers use the new generation already: a clean-up that fails leaves garbage, not harm.
  const cleanup = previous === generation ? undefined : await deleteGeneration(deps.views, projection, previous);
  return { projection, generation, previous, events, resumed, ...(cleanup ? { cleanupError: cleanup } : {}) };
}

async function streamsOf(projection: ViewProjection, store: StreamListing) {
  return (await store.streams()).filter((s) => projection === "user" || projection === "mentions" || s.stream.startsWith("channel-"));
}

async function deleteGeneration(views: ViewMaintenance, projection: ViewProjection, generation: string): Promise<string | undefined> {
  try {
    await views.delete(await views.list(prefixOf(projection, generation)));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

interface BuildContext extends RebuildDeps {
  target: ViewStore;
  progressed: (events: number) => void;
}

async function build(projection: ViewProjection, streams: string[], ctx: BuildContext): Promise<void> {
  switch (projection) {
    case "channel":
      return inParallel(streams, (stream) => catchUpChannel(stream.slice("channel-".length), { store: ctx.store, views: ctx.target, onCommit: ctx.progressed }));
    case "directory":
      return buildDirectory(streams, ctx);
    case "user":
      return buildUsers(streams, ctx);
    case "mentions":
      return buildMentions(streams, ctx);
    case "search":
      return inParallel(streams, (stream) => catchUpSearch(stream.slice("channel-".length), { store: ctx.store, views: ctx.target, onCommit: ctx.progressed }));
  }
}

/** Names first (every user stream), then each channel caught up by the live runner. */
async function buildMentions(streams: string[], ctx: BuildContext): Promise<void> {
  const registrations: (UserRegistered | UserRenamed)[] = [];
  for (const stream of streams.filter((s) => s.startsWith("user-"))) {
    for (const event of await ctx.store.read(stream, 0)) if (event.type === "user_registered" || event.type === "user_renamed") registrations.push(event);
  }
  await addRegisteredNames(registrations, ctx.target);
  const deps = { store: ctx.store, views: ctx.target, onCommit: ctx.progressed, now: ctx.now };
  await inParallel(streams.filter((s) => s.startsWith("channel-")), async (s) => {
    try {
      await catchUpMentions(s.slice("channel-".length), deps);
    } catch (error) {
      // Someone registered after the names were read: the pass after the switch reads them again.
      if (!(error instanceof NamesNotYetKnown)) throw error;
    }
  });
}

function catchUpAfterSwitch(projection: ViewProjection, streams: string[], ctx: BuildContext): Promise<void> {
  const deps = { store: ctx.store, views: ctx.target };
  const id = (stream: string) => stream.slice("channel-".length);
  if (projection === "user") return buildUsers(streams, ctx);
  if (projection === "mentions") return buildMentions(streams, ctx);
  if (projection === "directory") return inParallel(streams, (s) => catchUpDirectory(id(s), deps));
  if (projection === "search") return inParallel(streams, (s) => catchUpSearch(id(s), deps));
  return inParallel(streams, (s) => catchUpChannel(id(s), deps));
}

/** Each channel's entry from its stream, side by side; then the listing, in one write. */
async function buildDirectory(streams: string[], ctx: BuildContext): Promise<void> {
  const listed: DirectoryEntry[] = [];
  await inParallel(streams, async (stream) => {
    const events = (await ctx.store.read(stream, 0)) as ChannelEvent[];
    const entry = foldEntry(undefined, events);
    if (entry) {
      await overwrite(ctx.target, viewKeys.entry(entry.channelId), entry);
      listed.push(entry);
    }
    ctx.progressed(events.length);
  });
  await mergeInto<Listing>(ctx.target, viewKeys.listing(), emptyListing, (listing) => listed.reduce(listChannel, listing));
}

async function buildUsers(streams: string[], ctx: BuildContext): Promise<void> {
  const users = new Map<string, UserView>();
  let directory: UsersDirectory = emptyUsers;
  for (const stream of streams) {
    const events = await ctx.store.read(stream, 0);
    for (const event of events) {
      for (const userId of usersConcerned(event)) users.set(userId, applyToUser(users.get(userId) ?? emptyUser(userId), event));
      directory = applyToUsers(directory, event);
    }
    ctx.progressed(events.length);
  }
  // Merged into what is there, register by register, so a live write is never lost.
  await inParallel([...users.values()], (view) => mergeInto(ctx.target, viewKeys.user(view.userId), emptyUser(view.userId), (doc) => mergeUser(doc, view)));
  await mergeInto(ctx.target, viewKeys.users(), emptyUsers, (doc) => mergeUsers(doc, directory));
}

function mergeInto<T>(views: ViewStore, key: string, empty: T, merge: (doc: T) => T): Promise<void> {
  return withRetries(views, async (docs) => {
    const current = (await docs.load<T>(key)) ?? empty;
    docs.stage(key, merge(current));
    return (await docs.commit()) === "ok" ? "done" : "conflict";
  });
}

const overwrite = <T>(views: ViewStore, key: string, doc: T) => mergeInto(views, key, doc, () => doc);

async function startJob(projection: ViewProjection, deps: RebuildDeps): Promise<{ generation: string; resumed: boolean }> {
  const job = await deps.views.get<{ generation: string }>(jobKey(projection));
  if (job) return { generation: job.doc.generation, resumed: true };
  const current = (await readGenerations(deps.views))[projection];
  let generation = `g${deps.now().toISOString().replace(/[-:.]/g, "")}`;
  if (generation === current) generation = `${generation}b`;
  await deps.views.put(jobKey(projection), JSON.stringify({ generation, startedAt: deps.now().toISOString() }), { absent: true });
  return { generation, resumed: false };
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(parallelStreams, items.length) }, worker));
}
