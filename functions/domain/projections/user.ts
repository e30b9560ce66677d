/**
 * The users directory (`views/users`) and each user's own view (`views/users/me`).
 *
 * A user's membership of a channel is a last-writer-wins register ordered by the channel
 * stream's seq: each membership event carries the whole new state (in or out), so applying
 * events twice or out of order lands on the same documents without reading any history.
 */
import type { StoredEvent } from "../events";

export interface Membership {
  seq: number;
  member: boolean;
  at: string;
}

export interface UserView {
  userId: string;
  name: string;
  channels: string[];
  /** Per channel, the latest membership event applied: the register behind `channels`. */
  memberships: Record<string, Membership>;
}

export interface UsersDirectory {
  users: { userId: string; name: string }[];
}

export const emptyUsers: UsersDirectory = { users: [] };
export const emptyUser = (userId: string): UserView => ({ userId, name: "", channels: [], memberships: {} });

/** Whose user document an event changes, and how. */
export function membershipChange(event: StoredEvent): { userId: string; channelId: string; member: boolean } | undefined {
  switch (event.type) {
    case "channel_created":
      return { userId: event.userId, channelId: event.channelId, member: true };
    case "user_joined_channel":
      return { userId: event.memberId, channelId: event.channelId, member: true };
    case "user_left_channel":
      return { userId: event.userId, channelId: event.channelId, member: false };
    default:
      return undefined;
  }
}

export function applyToUser(view: UserView, event: StoredEvent): UserView {
  if (event.type === "user_registered") return view.name === event.name ? view : { ...view, name: event.name };
  const change = membershipChange(event);
  if (!change || change.userId !== view.userId) return view;
  const current = view.memberships[change.channelId];
  if (current && current.seq >= event.seq) return view;
  const memberships = { ...view.memberships, [change.channelId]: { seq: event.seq, member: change.member, at: event.timestamp } };
  return { userId: view.userId, name: view.name, channels: channelsOf(memberships), memberships: sortKeys(memberships) };
}

/** Merges two views of one user register by register (the later seq wins): order-free and idempotent. */
export function mergeUser(a: UserView, b: UserView): UserView {
  const memberships = { ...a.memberships };
  for (const [channelId, m] of Object.entries(b.memberships)) {
    const mine = memberships[channelId];
    if (!mine || mine.seq < m.seq) memberships[channelId] = m;
  }
  const name = b.name || a.name;
  const same = name === a.name && Object.keys(memberships).every((c) => memberships[c] === a.memberships[c]);
  return same ? a : { userId: a.userId, name, channels: channelsOf(memberships), memberships: sortKeys(memberships) };
}

export function applyToUsers(directory: UsersDirectory, event: StoredEvent): UsersDirectory {
  if (event.type !== "user_registered") return directory;
  return mergeUsers(directory, { users: [{ userId: event.userId, name: event.name }] });
}

/** The union of two users directories (b's names win), sorted by name then id. */
export function mergeUsers(a: UsersDirectory, b: UsersDirectory): UsersDirectory {
  if (b.users.every((u) => a.users.some((x) => x.userId === u.userId && x.name === u.name))) return a;
  const byId = new Map([...a.users, ...b.users].map((u) => [u.userId, u]));
  return { users: [...byId.values()].sort((x, y) => compare(x.name, y.name) || compare(x.userId, y.userId)) };
}

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
