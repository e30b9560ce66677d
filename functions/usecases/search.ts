/**
 * GET /search (CONTRACT §12): every message the caller may read now that answers the
 * query, newest first, a page at a time.
 *
 * Which channels: public ones, and the private ones and DMs whose head lists the caller
 * and whose stream has not taken them out since (the head may lag a leave by a moment:
 * its tail is read, failing closed). What: the channel's open page from its head (the
 * index stores nothing while a page is open), its sealed pages from the search index's
 * segments, sealed pages the index has not reached yet from the channel's own pages,
 * and replies from the index. A top-level message found in a segment is checked against
 * its page's edits before it is shown, and a reply against its thread's views, so a
 * deletion or an edit is never late here.
 */
import { type ChannelEvent, channelStream, leaverOf } from "../domain/events";
import { type ChannelPage, isSealed, mergeEdits, type PageEdits, pageOf, type PageMessage } from "../domain/projections/channel";
import type { Listing } from "../domain/projections/directory";
import { viewKeys } from "../domain/projections/keys";
import { current, type IndexEntry, type SearchHead, type Segment } from "../domain/projections/search";
import type { StoredHead } from "../domain/projections/storedHead";
import type { StoredThread, ThreadPage } from "../domain/projections/thread";
import type { UsersDirectory, UserView } from "../domain/projections/user";
import { type Findable, matches, type Resolved } from "../domain/search/match";
import { parseQuery } from "../domain/search/query";
import { normalize, words } from "../domain/search/words";
import { refuse, type Refusal } from "../domain/refusal";
import type { ProjectionName } from "../domain/routes";
import type { EventStore, ViewStore as Views } from "../ports";
import { BoundedCache } from "./boundedCache";
import { firstGeneration, readGenerations, reader } from "./generations";
import { mapLimited, membersOf } from "./readView";

type ViewStore = Pick<Views, "get" | "meta">;
export type SearchAnswer = { kind: "results"; body: string } | { kind: "refused"; refusal: Refusal };

export interface SearchDeps {
  views: ViewStore;
  store: Pick<EventStore, "read">;
}

export const resultsPerPage = 20;
/** Events past a private channel's head read to see whether the caller left; past that, it is left out. */
const tailLimit = 500;
const channelReads = 32;

interface Found extends Findable {
  channelId: string;
  messageId: string;
  seq: number;
  editedAt?: string;
  /** A top-level message's page, when it came from a segment: checked against the page's edits. */
  checkPage?: number;
}

/** Segments never change: a warm container keeps their words (256 MB at most). */
/** Weighed as V8 holds them: two bytes a character, and each word a string of its own (~40 bytes besides its characters). */
const segments = new BoundedCache<Found[]>(256 * 1024 * 1024, (found) => found.reduce((n, f) => n + 4 * f.text.length + f.words.reduce((w, s) => w + 40 + 2 * s.length, 0) + 200, 0));

export async function search(userId: string, rawQuery: string, rawCursor: string | undefined, deps: SearchDeps): Promise<SearchAnswer> {
  const parsed = parseQuery(rawQuery);
  if (!parsed.ok) return refused(parsed.message);
  const cursor = rawCursor === undefined ? undefined : decodeCursor(rawCursor);
  if (cursor === null) return { kind: "refused", refusal: refuse(400, "invalid_cursor", "The cursor is not one this search gave.") };
  const generations = await readGenerations(deps.views);
  const views = (name: ProjectionName) => ({ store: reader(deps.views, name, generations[name] ?? firstGeneration), generation: generations[name] ?? firstGeneration });
  const [channels, directory, users, index] = [views("channel"), views("directory"), views("user"), views("search")];

  const { query } = parsed;
  const [people, listing, me] = await Promise.all([
    query.from.length > 0 ? users.store.get<UsersDirectory>(viewKeys.users()) : undefined,
    directory.store.get<Listing>(viewKeys.listing()),
    users.store.get<UserView>(viewKeys.user(userId)),
  ]);
  let fromIds: Set<string> | undefined;
  if (query.from.length > 0) {
    fromIds = new Set();
    const names = (people?.doc.users ?? []).map((p) => ({ userId: p.userId, ...namesOf(p.name) }));
    for (const name of query.from) {
      const wanted = normalize(name);
      const named = names.filter((p) => p.full === wanted || p.joined === wanted || p.first === wanted);
      if (named.length === 0) return refused(`from: nobody here is named “${name}”.`);
      for (const p of named) fromIds.add(p.userId);
    }
  }
  const resolved: Resolved = { query, ...(fromIds ? { fromIds } : {}) };

  const ids = [...new Set([...(listing?.doc.channels ?? []).filter((c) => !c.private).map((c) => c.channelId), ...(me?.doc.channels ?? [])])];
  const inNames = new Set(query.in.map(normalize));
  const named = (h: StoredHead) => query.in.length === 0 || (h.kind !== "dm" && inNames.has(h.name));
  // Each channel from its head to its candidates in one go: no channel waits for the slowest head.
  const searched = await mapLimited(ids, channelReads, async (id) => {
    const head = await readableHead(id, userId, channels.store, deps.store);
    return head && named(head) ? candidates(head, channels.store, index) : undefined;
  });
  if (query.in.length > 0 && searched.every((c) => c === undefined)) return refused(`in: you can read no channel named ${query.in.map((n) => `#${n}`).join(" or ")}.`);

  const found = searched.flatMap((c) => c ?? []);
  const hits = found.filter((f) => matches(f, resolved) && (!cursor || before(f, cursor))).sort(newestFirst);
  const results: Found[] = [];
  const edits = new Map<string, Promise<PageEdits | undefined>>();
  const threads = new Map<string, Promise<StoredThread | ThreadPage | undefined>>();
  const check = (hit: Found) =>
    hit.threadId !== undefined ? checkedReply(hit, hit.threadId, channels.store, threads, resolved) : hit.checkPage === undefined ? hit : checked(hit, hit.checkPage, channels.store, edits, resolved);
  // The next hits that could fill the page, checked side by side; in order, as found.
  for (let next = 0; results.length <= resultsPerPage && next < hits.length; ) {
    const window = hits.slice(next, next + resultsPerPage + 1 - results.length);
    next += window.length;
    for (const now of await Promise.all(window.map(check))) if (now && results.length <= resultsPerPage) results.push(now);
  }
  const page = results.slice(0, resultsPerPage);
  const last = page[page.length - 1];
  const more = results.length > resultsPerPage && last ? { cursor: encodeCursor(last) } : {};
  return { kind: "results", body: JSON.stringify({ query: rawQuery, results: page.map(shown), ...more }) };
}

const refused = (message: string): SearchAnswer => ({ kind: "refused", refusal: refuse(400, "invalid_query", message) });

/** A display name, its first word, or the name without spaces (as mentions name people); normalized once per query. */
function namesOf(name: string): { full: string; joined: string; first: string | undefined } {
  const full = normalize(name).trim();
  return { full, joined: full.replace(/\s+/g, ""), first: full.split(/\s+/)[0] };
}

/** The channel's head, if the caller may read the channel now; failing closed. */
async function readableHead(channelId: string, userId: string, channels: ViewStore, store: SearchDeps["store"]): Promise<StoredHead | undefined> {
  const head = (await channels.get<StoredHead>(viewKeys.head(channelId)))?.doc;
  if (!head) return undefined;
  if (!head.private) return head;
  if (!(await membersOf(channelId, head, channels)).includes(userId)) return undefined;
  const tail = (await store.read(channelStream(channelId), head.lastSeq, tailLimit)) as ChannelEvent[];
  if (tail.length === tailLimit) return undefined;
  const left = tail.some((e) => e.type === "user_left_channel" && leaverOf(e) === userId);
  return left ? undefined : head;
}

async function candidates(head: StoredHead, channels: ViewStore, index: { store: ViewStore; generation: string }): Promise<Found[]> {
  const { channelId } = head;
  // No message, no reply either (a reply answers a message): nothing to read past the head.
  if (head.messageCount === 0) return [];
  const searchHead = (await index.store.get<SearchHead>(viewKeys.searchHead(channelId)))?.doc;
  const indexed = searchHead?.sealedPages ?? 0;
  const seen = new Set<string>();
  const out: Found[] = [];
  const add = (f: Found | undefined) => {
    if (f && !seen.has(f.messageId)) {
      seen.add(f.messageId);
      out.push(f);
    }
  };
  for (const m of head.openPage?.messages ?? []) add(fromPage(channelId, m));
  const gap = Array.from({ length: Math.max(0, head.pageCount - indexed) }, (_, i) => indexed + i).filter((n) => isSealed(head, n) && n !== head.openPage?.page);
  for (const page of await Promise.all(gap.map((n) => sealedPage(channelId, n, head, channels)))) for (const m of page) add(fromPage(channelId, m));
  for (const e of searchHead?.replies ?? []) add(fromEntry(channelId, e));
  if (!searchHead) return out;
  const stored = await Promise.all(searchHead.segments.map((ref) => segment(ref.key, index)));
  for (const entries of stored) {
    for (const f of entries) {
      const change = searchHead.overlay[f.messageId];
      if (!change) add(f);
      else if (!("d" in change)) add({ ...f, text: change.x, words: change.w ? change.w.split(" ") : [], editedAt: change.e, normalized: undefined });
    }
  }
  return out;
}

async function sealedPage(channelId: string, n: number, head: StoredHead, channels: ViewStore): Promise<(PageMessage | null)[]> {
  const [page, edits] = await Promise.all([channels.get<ChannelPage>(viewKeys.page(channelId, n)), channels.get<PageEdits>(viewKeys.pageEdits(channelId, n))]);
  if (!page) return [];
  const committed = page.doc.messages.filter((m) => m !== null && m.seq <= head.lastSeq);
  return mergeEdits({ ...page.doc, messages: committed }, edits?.doc).messages;
}

/**
 * Words of texts read from pages: the same open page is read by every query. By the text
 * itself: a message id is the client's choice, so two channels' messages may share one.
 */
const pageWords = new BoundedCache<string[]>(32 * 1024 * 1024, (w) => w.reduce((n, s) => n + 4 * s.length + 16, 32));

function fromPage(channelId: string, m: PageMessage | null): Found | undefined {
  if (!m || m.deleted) return undefined;
  let found = pageWords.get(m.text);
  if (!found) pageWords.set(m.text, (found = words(m.text)));
  return { channelId, messageId: m.messageId, seq: m.seq, userId: m.userId, text: m.text, sentAt: m.sentAt, ...(m.editedAt ? { editedAt: m.editedAt } : {}), words: found };
}

function fromEntry(channelId: string, e: IndexEntry): Found {
  const found: Found = { channelId, messageId: e.m, seq: e.s, userId: e.u, text: e.x, sentAt: e.a, words: e.w ? e.w.split(" ") : [] };
  if (e.e) found.editedAt = e.e;
  if (e.t) found.threadId = e.t;
  if (e.p !== undefined) found.checkPage = pageOf(e.p);
  return found;
}

async function segment(key: string, index: { store: ViewStore; generation: string }): Promise<Found[]> {
  const cacheKey = `${index.generation}/${key}`;
  const cached = segments.get(cacheKey);
  if (cached) return cached;
  const doc = (await index.store.get<Segment>(key))?.doc;
  if (!doc) throw new Error(`The search segment ${key} is named by its head and is not there.`);
  const found = doc.entries.map((e) => fromEntry(doc.channelId, e));
  segments.set(cacheKey, found);
  return found;
}

/** A segment's top-level message as its page's edits have it now: gone once deleted, found only by its current text. */
async function checked(hit: Found, page: number, channels: ViewStore, edits: Map<string, Promise<PageEdits | undefined>>, resolved: Resolved): Promise<Found | undefined> {
  const key = `${hit.channelId}/${page}`;
  if (!edits.has(key)) edits.set(key, channels.get<PageEdits>(viewKeys.pageEdits(hit.channelId, page)).then((f) => f?.doc));
  return changedTo(hit, (await edits.get(key))?.edits.find((e) => e.messageId === hit.messageId), resolved);
}

/**
 * A reply as its thread's views have it now. Replies come from the search index only, which
 * may lag the thread's views (or miss a delivery until the next one): a deletion or an edit
 * the thread already shows must not be late here either.
 */
async function checkedReply(hit: Found, threadId: string, channels: ViewStore, docs: Map<string, Promise<StoredThread | ThreadPage | undefined>>, resolved: Resolved): Promise<Found | undefined> {
  const read = <T extends StoredThread | ThreadPage>(key: string) => {
    if (!docs.has(key)) docs.set(key, channels.get<T>(key).then((f) => f?.doc));
    return docs.get(key) as Promise<T | undefined>;
  };
  const thread = await read<StoredThread>(viewKeys.thread(hit.channelId, threadId));
  const place = thread?.places[hit.messageId];
  if (!thread || place === undefined) return hit; // the thread's views have not reached it: nor any change to it
  const n = Math.floor(place / thread.pageSize);
  const page = thread.openPage?.page === n ? thread.openPage : await read<ThreadPage>(viewKeys.threadPage(hit.channelId, threadId, n));
  const reply = page?.messages.find((m) => m.messageId === hit.messageId);
  return changedTo(hit, reply && (reply.deleted ? { deleted: true } : reply.editedAt !== undefined ? { text: reply.text, editedAt: reply.editedAt } : undefined), resolved);
}

/** `hit` after a change its channel's views know of: gone once deleted, found only by its current text. */
function changedTo(hit: Found, edit: { deleted?: boolean; text?: string; editedAt?: string } | undefined, resolved: Resolved): Found | undefined {
  if (!edit) return hit;
  if (edit.deleted) return undefined;
  if (edit.text === undefined || (hit.editedAt !== undefined && edit.editedAt !== undefined && edit.editedAt <= hit.editedAt)) return hit;
  const now: Found = { ...hit, text: edit.text, words: words(edit.text), normalized: undefined, ...(edit.editedAt ? { editedAt: edit.editedAt } : {}) };
  return matches(now, resolved) ? now : undefined;
}

const shown = (f: Found) => ({
  channelId: f.channelId,
  messageId: f.messageId,
  ...(f.threadId ? { threadId: f.threadId } : {}),
  seq: f.seq,
  userId: f.userId,
  text: f.text,
  sentAt: f.sentAt,
  ...(f.editedAt ? { editedAt: f.editedAt } : {}),
});

type Cursor = [sentAt: string, channelId: string, seq: number];
const order = (f: Found): Cursor => [f.sentAt, f.channelId, f.seq];

function compare(a: Cursor, b: Cursor): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[2] - b[2];
}

const newestFirst = (a: Found, b: Found) => compare(order(b), order(a));
const before = (f: Found, cursor: Cursor) => compare(order(f), cursor) < 0;
const encodeCursor = (f: Found) => Buffer.from(JSON.stringify(order(f))).toString("base64url");

function decodeCursor(raw: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 3 && typeof value[0] === "string" && typeof value[1] === "string" && Number.isSafeInteger(value[2])) return value as Cursor;
  } catch {
    // not JSON: refused below
  }
  return null;
}
