/**
 * A user's own stream (`user-<userId>`): registration, then renames. Its state is tiny
 * (a version and a name), folded from the whole stream, which stays short.
 */
import type { EventInput, NewEvent, UserEvent } from "../events";
import { refuse, type Refusal } from "../refusal";

export interface UserState {
  version: number;
  registered: boolean;
  name: string;
}

export const initialUserState: UserState = { version: 0, registered: false, name: "" };

export function evolveUser(state: UserState, event: UserEvent): UserState {
  if (event.seq <= state.version) return state;
  return { version: event.seq, registered: true, name: event.name };
}

export const foldUser = (state: UserState, events: readonly UserEvent[]): UserState => events.reduce(evolveUser, state);

/** `user_renamed`: only of oneself (the stream is the caller's), once registered. */
export function decideRename(
  input: Extract<EventInput, { type: "user_renamed" }>,
  state: UserState,
  ctx: { userId: string; eventId: string; now: string },
): NewEvent | Refusal {
  if (!state.registered) return refuse(404, "user_not_found", "Your account is not registered yet; try again in a moment.");
  if (input.name === state.name) return refuse(409, "name_unchanged", "That is already your name.");
  return { type: "user_renamed", eventId: ctx.eventId, timestamp: ctx.now, userId: ctx.userId, name: input.name };
}
