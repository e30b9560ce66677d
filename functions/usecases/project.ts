/**
 * The projections' runners: each brings its views up to date with the store, whatever
 * event woke it. Duplicates, reordering and overlapping runs are harmless: the channel and
 * directory runners catch up from their checkpoint (the seq their views already hold) and
 * commit with conditional writes; the user runner applies last-writer-wins registers.
 */
import { applyToCore, applyToPages, type ChannelPage, type ChannelViews, documentsFor, type HeadCore, openPageOf, type PageEdits } from "../domain/projections/channel";
import { joinHead, splitHead, type StoredHead } from "../domain/projections/storedHead";
import { type DirectoryEntry, emptyListing, foldEntry, type Listing, listChannel } from "../domain/projections/directory";
import { headLastSeqMeta, viewKeys } from "../domain/projections/keys";
import { applyToUser, applyToUsers, emptyUser, emptyUsers, usersConcerned, type UserView, type UsersDirectory } from "../domain/projections/user";
import { type ChannelEvent, channelStream, isChannelEvent, isUserEvent, type StoredEvent, threadOf, type UserEvent } from "../domain/events";
import { applyToThread, sealedPageFor, type StoredThread, type ThreadPage, threadPageKey, type ThreadViews } from "../domain/projections/thread";
import type { ProjectionName } from "../domain/routes";
import type { EventStore, ViewStore } from "../ports";
import { RunRoster } from "./channelRoster";
import { LiveRun } from "./coalesce";
import { type Documents, withRetries } from "./documents";
import { currentViews } from "./generations";
import { renamesKept } from "../domain/projections/mentions";
import { addRegisteredNames, catchUpMentions } from "./projectMentions";
import { catchUpSearch } from "./projectSearch";

export interface ProjectDeps {
  store: EventStore;
  views: ViewStore;
  /** Told how many events each commit applied (the rebuild's progress). */
  onCommit?: (events: number) => void;
  /** The clock a live run judges its pending events' age by (coalesce.ts); the system's by default. */
  now?: () => Date;
  /** How a live run waits for followers in a busy stream (coalesce.ts); a timer by default. */
  wait?: (ms: number) => Promise<void>;
}

/** Events read and folded per commit: bounds memory and shows progress on long catch-ups. */
export const catchUpBatch = 1000;

/** Applies an event to the current generation of a projection's views. */
export async function project(name: ProjectionName, event: StoredEvent, deps: ProjectDeps): Promise<void> {
  if (name === "notify") return; // writes no views: it runs as its own function (functions/notify)
  await projectInto(name, event, { ...deps, views: await currentViews(deps.views, name) });
}

/** Applies an event to the views given (already scoped to one generation of the projection). */
export async function projectInto(name: ProjectionName, event: StoredEvent, deps: ProjectDeps): Promise<void> {
  switch (name) {
    case "channel":
      if (isChannelEvent(event)) await catchUpChannel(event.channelId, deps, event.seq);
      return;
    case "directory":
      if (isChannelEvent(event)) await catchUpDirectory(event.channelId, deps, event.seq);
      return;
    case "user":
      await applyUserEvent(event, deps.views);
      return;
    case "mentions":
      if (isUserEvent(event)) await addRegisteredNames(await namesOf(event, deps.store), deps.views);
      else await catchUpMentions(event.channelId, deps, event.seq);
      return;
    case "search":
      if (isChannelEvent(event)) await catchUpSearch(event.channelId, deps, event.seq);
      return;
    case "notify":
      return; // writes no views: it runs as its own function (functions/notify)
  }
}

/**
 * Catches a channel's views up with its stream. With `untilSeq` (a live run, woken by the
 * event at that seq) it stops as soon as the views hold that event, whoever wrote it, and
 * leaves the write to a later event's run when one is coming, or, in a busy stream, soon
 * (coalesce.ts): under a burst one run applies the lot, instead of each racing the others
 * with a write of its own.
 */
export function catchUpChannel(channelId: string, deps: ProjectDeps, untilSeq?: number): Promise<void> {
  const run = new LiveRun("channel", channelStream(channelId), untilSeq, deps.store, deps.now, deps.wait);
  return withRetries(deps.views, async (docs) => {
    const stored = await docs.load<StoredHead>(viewKeys.head(channelId));
    const { head, openPage } = splitHead(stored);
    if (untilSeq !== undefined && (head?.lastSeq ?? 0) >= untilSeq) return "done";
    const events = (await deps.store.read(channelStream(channelId), head?.lastSeq ?? 0, catchUpBatch)) as ChannelEvent[];
    if (events.length === 0) return "done";
    const decision = await run.decide(events);
    if (decision !== "write") return decision === "defer" ? "done" : "again";
    const views: ChannelViews<HeadCore> = { head, pages: new Map(openPage ? [[openPage.page, openPage]] : []), edits: new Map() };
    const threads: ThreadViews = { threads: new Map(), pages: new Map() };
    const roster = new RunRoster(docs, channelId, stored);
    for (const event of events) {
      await loadTouched(docs, views, channelId, event);
      await loadThread(docs, threads, channelId, event);
      await roster.apply(event);
      applyToThread(threads, event);
      applyToPages(views, event);
      views.head = applyToCore(views.head, event);
    }
    await stageThreads(docs, threads, channelId);
    await stageChannel(docs, views, channelId, roster);
    // A thread's sealed pages before its head: a head that says a page is sealed finds it written.
    if ((await docs.commitFirst((key) => /\/threads\/[^/]+\/pages\//.test(key))) === "conflict") return "conflict";
    if ((await docs.commit()) === "conflict") return "conflict";
    deps.onCommit?.(events.length);
    return events.length === catchUpBatch ? "more" : "done";
  });
}

/** Sealed pages, edits and a big channel's members as their own documents, then the head, with the open page inside, last. */
async function stageChannel(docs: Documents, views: ChannelViews<HeadCore>, channelId: string, roster: RunRoster): Promise<void> {
  const head = views.head;
  if (!head) return;
  const open = openPageOf(head);
  for (const [n, page] of views.pages) {
    if (!page || n === open) continue;
    const key = viewKeys.page(channelId, n);
    if (!docs.has(key)) await docs.load(key); // sealed just now: its put is conditioned on what a crashed run left
    docs.stage(key, page);
  }
  for (const [n, edits] of views.edits) if (edits) docs.stage(viewKeys.pageEdits(channelId, n), edits);
  // A head stored before pages moved into it has its open page as a document still.
  const openPage = open === undefined ? undefined : (views.pages.get(open) ?? (await docs.load<ChannelPage>(viewKeys.page(channelId, open))));
  // Its lastSeq beside it, so the directory's readers learn it without reading the head.
  docs.stage(viewKeys.head(channelId), joinHead(head, await roster.stage(), openPage), { [headLastSeqMeta]: String(head.lastSeq) });
}

/** The thread a reply (or an edit or deletion of one) goes to, and the sealed page of it an edit changes. */
async function loadThread(docs: Documents, views: ThreadViews, channelId: string, event: ChannelEvent): Promise<void> {
  const threadId = threadOf(event);
  if (threadId === undefined) return;
  if (!views.threads.has(threadId)) views.threads.set(threadId, await docs.load<StoredThread>(viewKeys.thread(channelId, threadId)));
  const page = sealedPageFor(views.threads.get(threadId), event);
  const key = page === undefined ? undefined : threadPageKey(threadId, page);
  if (key && page !== undefined && !views.pages.has(key)) views.pages.set(key, await docs.load<ThreadPage>(viewKeys.threadPage(channelId, threadId, page)));
}

/** Sealed thread pages, then thread heads: before the channel's head, the commit point. */
async function stageThreads(docs: Documents, views: ThreadViews, channelId: string): Promise<void> {
  for (const page of views.pages.values()) {
    if (!page) continue;
    const key = viewKeys.threadPage(channelId, page.threadId, page.page);
    if (!docs.has(key)) await docs.load(key); // sealed just now: its put is conditioned on what a crashed run left
    docs.stage(key, page);
  }
  for (const [threadId, thread] of views.threads) if (thread) docs.stage(viewKeys.thread(channelId, threadId), thread);
}

async function loadTouched(docs: Documents, views: ChannelViews<HeadCore>, channelId: string, event: ChannelEvent): Promise<void> {
  const { page, edits } = documentsFor(views.head, event);
  if (page !== undefined && !views.pages.has(page)) views.pages.set(page, await docs.load<ChannelPage>(viewKeys.page(channelId, page)));
  if (edits !== undefined && !views.edits.has(edits)) views.edits.set(edits, await docs.load<PageEdits>(viewKeys.pageEdits(channelId, edits)));
}

/**
 * Catches a channel's directory entry up with its stream. The directory receives only the
 * events that change an entry (creation, joins, leaves), which are rare: every run writes
 * (no coalescing), so none waits on another delivery. A channel's creation also lists it
 * (a DM's does not); the listing is written before the entry, the commit point.
 */
export function catchUpDirectory(channelId: string, deps: ProjectDeps, untilSeq?: number): Promise<void> {
  return withRetries(deps.views, async (docs) => {
    const entry = await docs.load<DirectoryEntry>(viewKeys.entry(channelId));
    const after = entry?.lastSeq ?? 0;
    if (untilSeq !== undefined && after >= untilSeq) return "done";
    const events = (await deps.store.read(channelStream(channelId), after, catchUpBatch)) as ChannelEvent[];
    const next = foldEntry(entry, events);
    if (!next || next === entry) return "done";
    // A DM is not listed: its members find it through their own views, and the listing, which every
    // reader of the directory reads, is not rewritten for each pair of people who talk.
    if (!entry && next.kind !== "dm") {
      const listing = (await docs.load<Listing>(viewKeys.listing())) ?? emptyListing;
      docs.stage(viewKeys.listing(), listChannel(listing, next));
    }
    docs.stage(viewKeys.entry(channelId), next);
    if ((await docs.commit()) === "conflict") return "conflict";
    deps.onCommit?.(events.length);
    return events.length === catchUpBatch ? "more" : "done";
  });
}

/**
 * The user's registration and latest renames, whichever of them woke the run: a lost
 * delivery is made good by the next, and the index keeps only the latest few renames.
 */
async function namesOf(event: StoredEvent, store: EventStore): Promise<UserEvent[]> {
  const [registration, latest] = await Promise.all([store.read(event.stream, 0, 1), store.read(event.stream, Math.max(1, event.seq - 1 - renamesKept))]);
  return [...registration, ...latest].filter(isUserEvent);
}

export async function applyUserEvent(event: StoredEvent, views: ViewStore): Promise<void> {
  await Promise.all(usersConcerned(event).map((userId) => update<UserView>(views, viewKeys.user(userId), emptyUser(userId), (view) => applyToUser(view, event))));
  if (isUserEvent(event)) await update<UsersDirectory>(views, viewKeys.users(), emptyUsers, (d) => applyToUsers(d, event));
}

function update<T>(views: ViewStore, key: string, empty: T, change: (doc: T) => T): Promise<void> {
  return withRetries(views, async (docs) => {
    const current = (await docs.load<T>(key)) ?? empty;
    const next = change(current);
    if (next === current) return "done";
    docs.stage(key, next);
    return (await docs.commit()) === "ok" ? "done" : "conflict";
  });
}
