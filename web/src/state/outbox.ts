/**
 * Writes of our own that the channel's timeline has not caught up with yet: messages being
 * sent (shown at once, greyed out), edits or deletions (shown at once over the message), and
 * reactions given or taken back (shown at once on the message).
 * Each keeps the `Idempotency-Key` it was first sent with, so sending it again can never
 * store it twice. A write is `sending` (or `waiting` for the connection, sent again by
 * itself), `sent` (answered), or `failed` (the server refused it: the person may retry or
 * discard it). An entry goes when its channel's timeline reaches the `seq` the store
 * answered with.
 */
import type { PageMessage } from "../../../functions/domain/projections/channel";
import { applyReaction, type Reaction } from "../../../functions/domain/projections/reactions";

export type WriteStatus = "sending" | "waiting" | "sent" | "failed";

interface Write {
  channelId: string;
  messageId: string;
  idempotencyKey: string;
  status: WriteStatus;
  /** The store's answer: the event's place in the channel stream. */
  seq?: number;
  error?: string;
}

export interface OutgoingMessage extends Write {
  kind: "send";
  userId: string;
  text: string;
  createdAt: string;
  /** A reply: the thread's top-level message (it shows in the thread, not among the channel's messages). */
  threadId?: string;
}

export interface OutgoingChange extends Write {
  kind: "edit" | "delete";
  /** The new text (edits). */
  text: string;
}

/** Our reaction given (`add`) or taken back. A refused one is dropped: the message shows what the server holds. */
export interface OutgoingReaction extends Write {
  kind: "react";
  userId: string;
  emoji: string;
  add: boolean;
}

export type Outgoing = OutgoingMessage | OutgoingChange | OutgoingReaction;

export const isChange = (w: Outgoing): w is OutgoingChange => w.kind === "edit" || w.kind === "delete";

/** A message as the list shows it: the timeline's, or one of ours still on its way. */
export interface MessageRow extends PageMessage {
  status?: WriteStatus;
  error?: string;
  /** Ours, still on its way: the key a retry sends again. */
  idempotencyKey?: string;
  /** Set when the status is that of our edit or deletion of this message, not of the message itself. */
  change?: OutgoingChange["kind"];
}

/** Queues a write; a new edit or deletion of a message replaces an earlier pending one (reactions all stay, in order). */
export function add(outbox: readonly Outgoing[], write: Outgoing): Outgoing[] {
  const others = isChange(write) ? outbox.filter((w) => !(isChange(w) && w.messageId === write.messageId)) : outbox;
  return [...others, write];
}

/** Changes the write sent with this `Idempotency-Key`. */
export function update(outbox: readonly Outgoing[], idempotencyKey: string, change: Partial<Pick<Write, "status" | "seq" | "error">>): Outgoing[] {
  return outbox.map((w) => (w.idempotencyKey === idempotencyKey ? { ...w, ...change } : w));
}

export function remove(outbox: readonly Outgoing[], idempotencyKey: string): Outgoing[] {
  return outbox.filter((w) => w.idempotencyKey !== idempotencyKey);
}

/** Drops the writes a channel's timeline now holds (its lastSeq reached their seq). */
export function settle(outbox: readonly Outgoing[], channelId: string, lastSeq: number): readonly Outgoing[] {
  const kept = outbox.filter((w) => w.channelId !== channelId || w.seq === undefined || w.seq > lastSeq);
  return kept.length === outbox.length ? outbox : kept;
}

/**
 * The list for one channel (or, given `threadId`, one thread's replies): the timeline's
 * messages with our pending changes and reactions over them, then our unsent ones in the order
 * typed. Those typed after one that waits for the connection wait with it (they are sent one
 * after another).
 */
export function rowsOf(messages: readonly PageMessage[], outbox: readonly Outgoing[], channelId: string, threadId?: string): MessageRow[] {
  const mine = outbox.filter((w) => w.channelId === channelId && (w.kind !== "send" || w.threadId === threadId));
  if (mine.length === 0) return messages as MessageRow[];
  const changes = new Map<string, OutgoingChange>();
  const reactions = new Map<string, OutgoingReaction[]>();
  for (const w of mine) {
    if (isChange(w)) changes.set(w.messageId, w);
    if (w.kind === "react") reactions.set(w.messageId, [...(reactions.get(w.messageId) ?? []), w]);
  }
  const known = new Set<string>();
  const rows: MessageRow[] = messages.map((m) => {
    known.add(m.messageId);
    const change = changes.get(m.messageId);
    const changed = change && !m.deleted ? withChange(m, change) : m;
    const ours = reactions.get(m.messageId);
    return ours && !changed.deleted ? withReactions(changed, ours) : changed;
  });
  let blocked = false;
  for (const w of mine) {
    if (w.kind !== "send" || known.has(w.messageId)) continue;
    const status = blocked && w.status === "sending" ? "waiting" : w.status;
    blocked ||= w.status === "waiting";
    rows.push({ seq: Number.MAX_SAFE_INTEGER, messageId: w.messageId, userId: w.userId, text: w.text, sentAt: w.createdAt, status, error: w.error, idempotencyKey: w.idempotencyKey });
  }
  return rows;
}

/** A message with our reactions on their way applied, in the order given, as the store will fold them. */
function withReactions(m: MessageRow, ours: readonly OutgoingReaction[]): MessageRow {
  const before: readonly Reaction[] = m.reactions ?? [];
  const after = ours.reduce((r, w) => applyReaction(r, { type: w.add ? "reaction_added" : "reaction_removed", emoji: w.emoji, userId: w.userId }), before);
  if (after === before) return m;
  const { reactions: _, ...rest } = m;
  return after.length === 0 ? rest : { ...rest, reactions: [...after] };
}

/** A message with our edit or deletion over it; a refused one keeps its text and says so (a deletion shows the message again). */
function withChange(m: PageMessage, change: OutgoingChange): MessageRow {
  const state = { status: change.status === "sent" ? undefined : change.status, error: change.error, idempotencyKey: change.idempotencyKey, change: change.kind };
  if (change.kind === "edit") return { ...m, text: change.text, editedAt: m.editedAt ?? m.sentAt, ...state };
  if (change.status === "failed") return { ...m, ...state };
  return { seq: m.seq, messageId: m.messageId, userId: m.userId, text: "", sentAt: m.sentAt, deleted: true };
}
