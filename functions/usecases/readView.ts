/**
 * GET /views/…: reads a view for a caller and enforces who may see it. Private channels
 * (head and pages) only for their members; the directory lists public channels and the
 * private ones the caller is in.
 */
import { type ChannelPage, isSealed, mergeEdits, type PageEdits } from "../domain/projections/channel";
import { type MembersDoc, publicHead, type StoredHead } from "../domain/projections/storedHead";
import { type DirectoryEntry, type Listing, sortEntries } from "../domain/projections/directory";
import { headLastSeqMeta, viewKeys } from "../domain/projections/keys";
import { publicThread, type StoredThread, type ThreadPage } from "../domain/projections/thread";
import { isNameBasedId } from "../domain/channel/dmChannelId";
import { type MentionsView, mentionsPageSize } from "../domain/projections/mentions";
import type { UsersDirectory, UserView } from "../domain/projections/user";
import { refuse, type Refusal } from "../domain/refusal";
import type { ProjectionName } from "../domain/routes";
import type { ReadMarkStore, ViewStore as Views } from "../ports";
import { firstGeneration, readGenerations, reader } from "./generations";

export type ViewResult = { kind: "view"; body: string } | { kind: "refused"; refusal: Refusal };

const notFound = refuse(404, "view_not_found", "No such view (yet).");
const uuidPattern = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const channelPath = new RegExp(`^channels/(${uuidPattern})$`);
const pagePath = new RegExp(`^channels/(${uuidPattern})/pages/(0|[1-9][0-9]{0,8})$`);
const threadPath = new RegExp(`^channels/(${uuidPattern})/threads/(${uuidPattern})(?:/pages/(0|[1-9][0-9]{0,8}))?$`);

type ViewStore = Pick<Views, "get" | "meta">;

/** Without a read mark store, `views/users/me` has no marks (`readMarks: {}`). */
export async function readView(path: string, userId: string, root: ViewStore, readMarks?: Pick<ReadMarkStore, "of">): Promise<ViewResult> {
  const clean = path.replace(/^\/+|\/+$/g, "");
  const generations = await readGenerations(root);
  const views = (projection: ProjectionName) => reader(root, projection, generations[projection] ?? firstGeneration);
  if (clean === "channels") return directoryFor(userId, views("directory"), views("channel"), views("user"));
  if (clean === "users") return usersDirectory(views("user"));
  if (clean === "users/me") return me(userId, views("user"), readMarks);
  const mentions = /^users\/me\/mentions(?:\/pages\/(0|[1-9][0-9]{0,8}))?$/.exec(clean);
  if (mentions) return mentionsFor(userId, Number(mentions[1] ?? 0), views("mentions"), views("user"));
  const channel = channelPath.exec(clean);
  if (channel?.[1]) return headFor(channel[1].toLowerCase(), userId, views("channel"));
  const page = pagePath.exec(clean);
  if (page?.[1] && page[2]) return pageFor(page[1].toLowerCase(), Number(page[2]), userId, views("channel"));
  const thread = threadPath.exec(clean);
  if (thread?.[1] && thread[2]) return threadFor(thread[1].toLowerCase(), thread[2].toLowerCase(), thread[3] === undefined ? undefined : Number(thread[3]), userId, views("channel"));
  return { kind: "refused", refusal: notFound };
}

/** Names, ids and which are bots: the registers behind the names stay inside. */
async function usersDirectory(views: ViewStore): Promise<ViewResult> {
  const found = await views.get<UsersDirectory>(viewKeys.users());
  if (!found) return { kind: "refused", refusal: notFound };
  if (!found.doc.users.some((u) => u.nameSeq !== undefined)) return { kind: "view", body: found.body };
  return view({ users: found.doc.users.map(({ userId, name, bot }) => ({ userId, name, ...(bot ? { bot } : {}) })) });
}

/** The user's own view, with their read marks in the channels they are in. */
async function me(userId: string, views: ViewStore, readMarks: Pick<ReadMarkStore, "of"> | undefined): Promise<ViewResult> {
  const [found, marks] = await Promise.all([views.get<UserView>(viewKeys.user(userId)), readMarks?.of(userId) ?? ({} as Record<string, number>)]);
  if (!found) return { kind: "refused", refusal: notFound };
  const { name, channels } = found.doc;
  const mine = Object.fromEntries(channels.flatMap((c) => (marks[c] === undefined ? [] : [[c, marks[c]]])));
  return view({ userId, name, channels, readMarks: mine });
}

/**
 * Newest first, a page at a time. Failing closed: a mention shows only while the user is
 * in its channel, or when the mention itself says the channel is public (one recorded
 * before mentions carried that is treated as private).
 */
async function mentionsFor(userId: string, page: number, mentions: ViewStore, users: ViewStore): Promise<ViewResult> {
  const [stored, user] = await Promise.all([mentions.get<MentionsView>(viewKeys.mentions(userId)), users.get<UserView>(viewKeys.user(userId))]);
  const mine = new Set(user?.doc.channels ?? []);
  const visible = (stored?.doc.mentions ?? []).filter((m) => m.private === false || mine.has(m.channelId));
  const pageCount = Math.max(1, Math.ceil(visible.length / mentionsPageSize));
  if (page >= pageCount) return { kind: "refused", refusal: notFound };
  const slice = visible.slice(page * mentionsPageSize, (page + 1) * mentionsPageSize).map(({ private: _, ...m }) => m);
  return view({ userId, mentions: slice, page, pageCount, pageSize: mentionsPageSize });
}

/**
 * Public channels and the private ones the caller is in, failing closed: a channel is
 * shown only once its entry says it is public, or both the caller's own view and the
 * entry's members (folded from the channel's stream) list the caller. Each
 * entry is its own document; its lastSeq is the channel view's (from the head's metadata).
 */
async function directoryFor(userId: string, directory: ViewStore, channels: ViewStore, users: ViewStore): Promise<ViewResult> {
  const [listing, user] = await Promise.all([directory.get<Listing>(viewKeys.listing()), users.get<UserView>(viewKeys.user(userId))]);
  const mine = new Set(user?.doc.channels ?? []);
  const visible = (c: { channelId: string; private: boolean }) => !c.private || mine.has(c.channelId);
  // The listing's channels the caller may see, and the caller's own channels it does not list: DMs, which are never listed, and any the listing lags.
  const listed = (listing?.doc.channels ?? []).filter(visible).map((c) => c.channelId);
  const isListed = new Set(listed);
  const ids = [...listed, ...[...mine].filter((id) => !isListed.has(id))];
  const entries = await mapLimited(ids, entryReads, async (channelId) => {
    const [entry, lastSeq] = await Promise.all([directory.get<DirectoryEntry>(viewKeys.entry(channelId)), headLastSeq(channelId, channels)]);
    // The caller's own view may lag a leave: a private entry must list the caller itself.
    if (!entry || !visible(entry.doc) || (entry.doc.private && !entry.doc.members?.includes(userId))) return undefined;
    const { name, topic, memberCount } = entry.doc;
    // Entries folded before DMs have no kind: they are channels (a rebuild writes it).
    const kind = entry.doc.kind ?? "channel";
    const shown: DirectoryEntry = { channelId, kind, name, topic, private: entry.doc.private, memberCount, lastSeq: lastSeq ?? entry.doc.lastSeq };
    return kind === "dm" ? { ...shown, members: entry.doc.members ?? [] } : shown;
  });
  return view({ channels: sortEntries(entries.filter((e): e is DirectoryEntry => e !== undefined)) });
}

/** How many entries a listing reads at once. */
const entryReads = 32;

async function headLastSeq(channelId: string, channels: ViewStore): Promise<number | undefined> {
  const meta = await channels.meta(viewKeys.head(channelId));
  if (!meta) return undefined;
  const stated = Number(meta[headLastSeqMeta]);
  if (Number.isSafeInteger(stated) && stated > 0) return stated;
  return (await channels.get<StoredHead>(viewKeys.head(channelId)))?.doc.lastSeq; // a head written before it carried the metadata
}

export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The head, if the caller may see it, with its members once they were needed (a private channel's, to decide). */
async function visibleHead(channelId: string, userId: string, views: ViewStore) {
  const head = await views.get<StoredHead>(viewKeys.head(channelId));
  // A DM's id can be computed from its members': one not (yet) there answers as one the caller is not in.
  if (!head) return { refusal: isNameBasedId(channelId) ? privateToMembers : refuse(404, "channel_not_found", "No such channel.") };
  const members = head.doc.private ? await membersOf(channelId, head.doc, views) : undefined;
  if (members && !members.includes(userId)) return { refusal: privateToMembers };
  return { head, members };
}

const privateToMembers = refuse(403, "forbidden", "This channel is private to its members.");

/** Inside the head, or (a big channel's) in their own document, written before the head was. */
export async function membersOf(channelId: string, head: StoredHead, views: ViewStore): Promise<string[]> {
  if (head.members) return head.members;
  const found = await views.get<MembersDoc>(viewKeys.members(channelId));
  if (!found) throw new Error(`The head of channel ${channelId} says its members are apart, and their document is not there.`);
  return found.doc.members;
}

async function headFor(channelId: string, userId: string, views: ViewStore): Promise<ViewResult> {
  const { head, members, refusal } = await visibleHead(channelId, userId, views);
  if (!head) return { kind: "refused", refusal };
  if (!head.doc.openPage && head.doc.members) return { kind: "view", body: head.body };
  return view(publicHead(head.doc, members ?? (await membersOf(channelId, head.doc, views))));
}

async function pageFor(channelId: string, n: number, userId: string, views: ViewStore): Promise<ViewResult> {
  const { head, refusal } = await visibleHead(channelId, userId, views);
  if (!head) return { kind: "refused", refusal };
  if (n >= head.doc.pageCount) return { kind: "refused", refusal: notFound };
  const open = head.doc.openPage;
  if (open?.page === n) return view({ ...open, messages: open.messages.filter((m) => m !== null) });
  const [page, edits] = await Promise.all([
    views.get<ChannelPage>(viewKeys.page(channelId, n)),
    isSealed(head.doc, n) ? views.get<PageEdits>(viewKeys.pageEdits(channelId, n)) : undefined,
  ]);
  if (!page) return { kind: "refused", refusal: notFound };
  // The head is the commit point: a page may already hold messages of a run still writing.
  const committed = page.doc.messages.filter((m) => m !== null && m.seq <= head.doc.lastSeq);
  if (!edits && committed.length === page.doc.messages.length) return { kind: "view", body: page.body };
  return view(mergeEdits({ ...page.doc, messages: committed }, edits?.doc));
}

/**
 * A thread's head, or one of its pages (CONTRACT §9): as private as its channel. Replies a
 * run wrote before its channel head (the commit point) are left out until it is written.
 */
async function threadFor(channelId: string, threadId: string, n: number | undefined, userId: string, views: ViewStore): Promise<ViewResult> {
  const { head, refusal } = await visibleHead(channelId, userId, views);
  if (!head) return { kind: "refused", refusal };
  const thread = await views.get<StoredThread>(viewKeys.thread(channelId, threadId));
  if (!thread) return { kind: "refused", refusal: refuse(404, "thread_not_found", "No replies to this message (yet).") };
  if (n === undefined) return view(publicThread(thread.doc));
  if (n >= thread.doc.pageCount) return { kind: "refused", refusal: notFound };
  const page = thread.doc.openPage?.page === n ? thread.doc.openPage : (await views.get<ThreadPage>(viewKeys.threadPage(channelId, threadId, n)))?.doc;
  if (!page) return { kind: "refused", refusal: notFound };
  const { channelId: c, threadId: t, page: number, messages } = page;
  return view({ channelId: c, threadId: t, page: number, messages: messages.filter((m) => m.seq <= head.doc.lastSeq) });
}

const view = (doc: unknown): ViewResult => ({ kind: "view", body: JSON.stringify(doc) });
