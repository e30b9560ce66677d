/**
 * The channel head as stored, and the contract's head (CONTRACT §5) as readers get it back.
 *
 * - The open page (the last, not yet full) sits inside the head: a message costs one write.
 * - The members sit inside it too while they are few. From the moment a channel first has
 *   more than `membersInline`, for good, they have a document of their own
 *   (`viewKeys.members`), written only when membership changes, and the head holds only
 *   `membersSeq`, the seq of the last change that document holds. The document is written
 *   before the head, so a reader who has read the head finds it at least that new. A
 *   message in a big channel thus rewrites a small head, not its member list. Whether the
 *   members are apart depends only on the stream, so a rebuild lays them out as live
 *   processing did.
 * Heads stored before the members could be apart hold them inside, however many; the next
 * run of a channel with too many moves them out.
 */
import { type ChannelEvent } from "../events";
import { applyToMembers, type ChannelHead, type ChannelPage, changesMembers, coreOf, type HeadCore, withMembers } from "./channel";

export const membersInline = 256;

export interface StoredHead extends HeadCore {
  /** The members, while they are inside. */
  members?: string[];
  /** Where they are apart: the seq of the last change their document holds. */
  membersSeq?: number;
  openPage?: ChannelPage;
}

/** A channel's members apart from its head; `seq`: the last event that changed them. */
export interface MembersDoc {
  channelId: string;
  seq: number;
  members: string[];
}

/** What a stored head holds of the members: the list, or the seq of their document. */
export type Placement = { members: string[] } | { membersSeq: number };

export function splitHead(stored: StoredHead | undefined): { head: HeadCore | undefined; openPage: ChannelPage | undefined } {
  if (!stored) return { head: undefined, openPage: undefined };
  const { openPage, membersSeq: _, ...head } = stored;
  return { head: coreOf(head), openPage };
}

export function joinHead(head: HeadCore, placement: Placement, openPage: ChannelPage | undefined): StoredHead {
  const stored = withMembers(head, placement);
  return openPage ? { ...stored, openPage } : stored;
}

export const placementIn = (stored: StoredHead): Placement => (stored.members ? { members: stored.members } : { membersSeq: stored.membersSeq ?? 0 });

/** The head as readers see it, with the members put back where they were. */
export const publicHead = (stored: StoredHead, members: string[]): ChannelHead => withMembers(splitHead(stored).head!, { members });

/** The members as a catch-up run folds them; `seq` guards against applying a change twice. */
export interface Roster {
  members: string[];
  seq: number;
  apart: boolean;
}

/** The roster a stored head (and, when its members are apart, their document) starts from. */
export function rosterOf(stored: StoredHead | undefined, doc: MembersDoc | undefined): Roster {
  if (stored?.members) return { members: stored.members, seq: stored.lastSeq, apart: stored.members.length > membersInline };
  if (stored && doc) return { members: doc.members, seq: doc.seq, apart: true };
  return { members: [], seq: 0, apart: false };
}

export function applyToRoster(roster: Roster, event: ChannelEvent): Roster {
  if (!changesMembers(event) || event.seq <= roster.seq) return roster;
  const members = applyToMembers(roster.members, event);
  return { members, seq: event.seq, apart: roster.apart || members.length > membersInline };
}

export const placementOf = (roster: Roster): Placement => (roster.apart ? { membersSeq: roster.seq } : { members: roster.members });
