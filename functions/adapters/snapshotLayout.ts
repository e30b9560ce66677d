/**
 * How a snapshot sits in the event table (eventTable.ts lists the items): the item at
 * sk 0 of its stream, with what does not fit in one item kept in parts of their own.
 *
 * DynamoDB items hold at most 400 KB, and a write is billed by the kilobyte. So a state too
 * large for one item is cut into parts of `partUnits` UTF-16 units (at most 3 bytes each in
 * UTF-8), and a snapshot's large set (a channel's members) is kept apart from the state,
 * under the version that names its content: a snapshot whose set is the one already stored
 * only points at it, and the set is written again only when it changed.
 */
import { eventTable } from "./eventTable";

export const partUnits = 100_000;
/** Parts of a state too large for one item (written by versions before sets were kept apart, and by seeding) expire after a week. */
export const statePartTtlSeconds = 7 * 24 * 3600;
/**
 * A set's parts expire too, since nothing else deletes a set no snapshot points at any
 * more. While snapshots keep pointing at a set, one written after the set is older than
 * `setRefreshSeconds` stores it again under the same key with a new expiry. A channel that
 * gets no snapshot for longer than the difference loses its set: its snapshot then reads
 * as none, the state is folded from the stream's start once, and the next snapshot is whole.
 */
export const setTtlSeconds = 30 * 24 * 3600;
export const setRefreshSeconds = 7 * 24 * 3600;

export const statePartsKey = (stream: string, version: number) => `${eventTable.snapshotPartsPrefix}${stream}#${version}`;
export const setPartsKey = (stream: string, setVersion: number) => `${eventTable.snapshotPartsPrefix}${stream}#set#${setVersion}`;

/** What a snapshot item says of the set it points at. */
export interface SetRef {
  setVersion: number;
  setParts: number;
  setExpiresAt: number;
}

export function setRefOf(item: Record<string, unknown>): SetRef | undefined {
  const { setVersion, setParts, setExpiresAt } = item;
  return typeof setVersion === "number" && typeof setParts === "number" && typeof setExpiresAt === "number" ? { setVersion, setParts, setExpiresAt } : undefined;
}

/** Whether a new snapshot of a set at `setVersion` may point at the stored one rather than write it again. */
export const reusable = (stored: SetRef | undefined, setVersion: number, nowSeconds: number): stored is SetRef =>
  stored !== undefined && stored.setVersion === setVersion && stored.setExpiresAt - nowSeconds > setTtlSeconds - setRefreshSeconds;

/** Cuts a string into parts, never between the two halves of a surrogate pair. */
export function partsOf(text: string, size = partUnits): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + size, text.length);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1] ?? "")) end--;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}
