/**
 * The users directory (`views/users`) and each user's own view (`views/users/me`).
 *
 * A user's membership of a channel is a last-writer-wins register ordered by the channel
 * stream's seq: each membership event carries the whole new state (in or out), so applying
 * events twice or out of order lands on the same documents without reading any history.
 */
import { dmMembersOf, leaverOf, type StoredEvent } from "../events";

export interface Membership {
  seq: number;
  member: boolean;
  at: string;
}

export interface UserView {
  userId: string;
  name: string;
  /** The seq in the user's stream of the event that set `name` (1, registration, when absent): the register behind it. */
  nameSeq?: number;
  channels: string[];
  /** Per channel, the latest membership event applied: the register behind `channels`. */
  memberships: Record<string, Membership>;
}

export interface UserEntry {
  userId: string;
  name: string;
  /** As in `UserView`; kept only once a user has renamed themselves. */
  nameSeq?: number;
  /** An app's bot (CONTRACT §13): set by its registration, kept whatever the order names arrive in. */
  bot?: true;
}

export interface UsersDirectory {
  users: UserEntry[];
}

/** A name event: registration or rename, ordered by its seq in the user's stream. */
const nameOf = (event: StoredEvent): UserEntry | undefined =>
  event.type === "user_registered" || event.type === "user_renamed"
    ? { userId: event.userId, name: event.name, ...(event.seq > 1 ? { nameSeq: event.seq } : {}), ...(event.type === "user_registered" && event.bot ? { bot: true } : {}) }
    : undefined;

const nameSeqOf = (entry: { name: string; nameSeq?: number }) => entry.nameSeq ?? (entry.name ? 1 : 0);

export const emptyUsers: UsersDirectory = { users: [] };
export const emptyUser = (userId: string): UserView => ({ userId, name: "", channels: [], memberships: {} });

export interface MembershipChange {
  userId: string;
  channelId: string;
  member: boolean;
}

/** Whose user documents an event changes, and how: one user's, or (a DM's opening) each of its members'. */
export function membershipChanges(event: StoredEvent): MembershipChange[] {
  switch (event.type) {
    case "channel_created":
      return [{ userId: event.userId, channelId: event.channelId, member: true }];
    case "dm_opened":
      return dmMembersOf(event).map((userId) => ({ userId, channelId: event.channelId, member: true }));
    case "user_joined_channel":
      return [{ userId: event.memberId, channelId: event.channelId, member: true }];
    case "user_left_channel":
      return [{ userId: leaverOf(event), channelId: event.channelId, member: false }];
    default:
      return [];
  }
}

/** The users whose own view (`views/users/<id>`) an event changes. */
export const usersConcerned = (event: StoredEvent): string[] =>
  event.type === "user_registered" || event.type === "user_renamed" ? [event.userId] : membershipChanges(event).map((c) => c.userId);

export function applyToUser(view: UserView, event: StoredEvent): UserView {
  const named = nameOf(event);
  if (named) return named.userId !== view.userId || nameSeqOf(view) >= nameSeqOf(named) ? view : withName(view, named);
  const change = membershipChanges(event).find((c) => c.userId === view.userId);
  if (!change) return view;
  const current = view.memberships[change.channelId];
  if (current && current.seq >= event.seq) return view;
  const memberships = { ...view.memberships, [change.channelId]: { seq: event.seq, member: change.member, at: event.timestamp } };
  return withName({ userId: view.userId, name: "", channels: channelsOf(memberships), memberships: sortKeys(memberships) }, view);
}

/** Merges two views of one user register by register (the later seq wins): order-free and idempotent. */
export function mergeUser(a: UserView, b: UserView): UserView {
  const memberships = { ...a.memberships };
  for (const [channelId, m] of Object.entries(b.memberships)) {
    const mine = memberships[channelId];
    if (!mine || mine.seq < m.seq) memberships[channelId] = m;
  }
  const named = nameSeqOf(b) > nameSeqOf(a) ? b : a;
  const same = named === a && Object.keys(memberships).every((c) => memberships[c] === a.memberships[c]);
  if (same) return a;
  return withName({ userId: a.userId, name: "", channels: channelsOf(memberships), memberships: sortKeys(memberships) }, named);
}

/** The view with the name register of `named`; fields in one order, so equal views serialize alike. */
function withName(view: UserView, named: { name: string; nameSeq?: number }): UserView {
  const { userId, channels, memberships } = view;
  return { userId, name: named.name, ...(named.nameSeq === undefined ? {} : { nameSeq: named.nameSeq }), channels, memberships };
}

export function applyToUsers(directory: UsersDirectory, event: StoredEvent): UsersDirectory {
  const named = nameOf(event);
  return named ? mergeUsers(directory, { users: [named] }) : directory;
}

/** The union of two users directories (per user, the later name wins), sorted by name then id. */
export function mergeUsers(a: UsersDirectory, b: UsersDirectory): UsersDirectory {
  const byId = new Map(a.users.map((u) => [u.userId, u]));
  let changed = false;
  for (const u of b.users) {
    const mine = byId.get(u.userId);
    const bot = mine?.bot ?? u.bot;
    const later = mine && nameSeqOf(mine) >= nameSeqOf(u) ? mine : u;
    if (later === mine && mine.bot === bot) continue;
    byId.set(u.userId, entry(later, bot));
    changed = true;
  }
  if (!changed) return a;
  return { users: [...byId.values()].sort((x, y) => compare(x.name, y.name) || compare(x.userId, y.userId)) };
}

/** An entry with its fields in one order, so equal directories serialize alike. */
const entry = ({ userId, name, nameSeq }: UserEntry, bot: true | undefined): UserEntry => ({
  userId,
  name,
  ...(nameSeq === undefined ? {} : { nameSeq }),
  ...(bot ? { bot } : {}),
});

/** The channels a user is in, in the order they joined. */
function channelsOf(memberships: Record<string, Membership>): string[] {
  return Object.entries(memberships)
    .filter(([, m]) => m.member)
    .sort(([a, x], [b, y]) => compare(x.at, y.at) || compare(a, b))
    .map(([channelId]) => channelId);
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
