/**
 * PUT /read-marks/<channelId>: a member marks the channel read up to `seq`, for themselves.
 * Membership is decided from the store, as for every write; a mark never moves back.
 */
import type { EventStore, ReadMarkStore } from "../ports";
import { refuse, type Refusal } from "../domain/refusal";
import { loadChannel } from "./loadChannel";

export interface ReadMarkDeps {
  store: EventStore;
  readMarks: ReadMarkStore;
}

export async function setReadMark(userId: string, channelId: string, seq: number, deps: ReadMarkDeps): Promise<"ok" | Refusal> {
  const { state } = await loadChannel(deps.store, channelId);
  if (!state.exists) return refuse(404, "channel_not_found", "No such channel.");
  if (!state.members.includes(userId)) return refuse(403, "not_member", "Only members of a channel keep a read mark in it.");
  if (seq > state.version) return refuse(400, "invalid_field", `seq is past the channel's last event (${state.version}).`);
  await deps.readMarks.advance(userId, channelId, seq);
  return "ok";
}
