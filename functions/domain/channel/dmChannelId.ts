/**
 * A DM's channelId follows from its member set (CONTRACT §11), so opening it again, in any
 * order and by any of its members, lands on the same stream with no lookup table: a
 * name-based UUID (RFC 9562 version 5, SHA-1) of the sorted member ids in a namespace of
 * the chat's own. User ids are visible ASCII without spaces, so joining them with a space
 * is unambiguous. (Pure: hashing is no hidden input. Not for the browser: it has no
 * synchronous SHA-1, and needs no DM's id before the store answers with it.)
 */
import { createHash } from "node:crypto";

/** This chat's namespace for DM ids (a fixed random UUID: changing it would move every DM). */
export const dmNamespace = "3f1c7a52-8d4e-4b6a-9c0f-5e2d1a7b8c93";

export function dmChannelId(memberIds: readonly string[]): string {
  const name = [...new Set(memberIds)].sort().join(" ");
  const hash = createHash("sha1").update(Buffer.from(dmNamespace.replace(/-/g, ""), "hex")).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Whether a channelId has the version of a DM's. Such ids are reserved for DMs: a
 * `channel_created` may not take one, or anyone could squat the id of two people's DM
 * before they open it.
 */
export const isNameBasedId = (channelId: string): boolean => channelId[14] === "5";
