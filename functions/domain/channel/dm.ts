/**
 * The rules of direct and group messages (CONTRACT §11). A DM is a channel of kind `dm`
 * whose member set is fixed when it is opened: its id follows from that set
 * (dmChannelId.ts), so opening it again finds it. Everything else (messages, edits,
 * deletions, mentions) is the channel's rules over those members (decide.ts).
 */
import type { EventInput, NewEvent } from "../events";
import { refuse, type Refusal } from "../refusal";
import type { ChannelState } from "./state";

export type OpenDmInput = Extract<EventInput, { type: "dm_opened" }>;

export interface OpenDmContext {
  userId: string;
  eventId: string;
  now: string;
  /** The id the member set gives (dmChannelId of the caller and `memberIds`). */
  channelId: string;
  /** Those of `memberIds` who have no account; looked up only when the DM is not open yet. */
  unknownMembers: readonly string[];
}

/**
 * The `dm_opened` to store; `undefined` when the DM is open already (whoever opened it):
 * nothing to store, and the answer is the first opening's.
 */
export function decideOpenDm(input: OpenDmInput, state: ChannelState, ctx: OpenDmContext): NewEvent | Refusal | undefined {
  if (input.memberIds.includes(ctx.userId)) {
    return refuse(400, "invalid_field", "memberIds names the other people of the DM: leave yourself out (you are in it as its opener).");
  }
  if (state.exists) return state.kind === "dm" ? undefined : refuse(409, "channel_exists", "A channel with this DM's channelId already exists.");
  const unknown = ctx.unknownMembers[0];
  if (unknown !== undefined) return refuse(404, "user_not_found", `No such user: ${unknown}.`);
  return { type: "dm_opened", eventId: ctx.eventId, timestamp: ctx.now, userId: ctx.userId, channelId: ctx.channelId, memberIds: input.memberIds };
}

/** What a DM refuses that a channel may allow: its members and its (absent) name and topic are fixed. */
export function refusedInDm(type: EventInput["type"], state: ChannelState): Refusal | undefined {
  if (state.kind !== "dm") return undefined;
  switch (type) {
    case "user_joined_channel":
      return refuse(403, "forbidden", "Nobody can join a direct message or be added to it: open one with everyone instead.");
    case "user_left_channel":
      return refuse(403, "forbidden", "Nobody can leave a direct message or be removed from it.");
    case "channel_renamed":
      return refuse(403, "forbidden", "A direct message has no name to change.");
    case "channel_topic_set":
      return refuse(403, "forbidden", "A direct message has no topic.");
    default:
      return undefined;
  }
}
