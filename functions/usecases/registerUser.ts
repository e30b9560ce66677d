/**
 * The trusted path that records an account: `user_registered` at seq 1 of the user's
 * stream. The conditional append makes it happen once per account however often it runs
 * (on confirmation, and again on the account's first authenticated call).
 */
import { type StoredEvent, userStream } from "../domain/events";
import type { EventStore } from "../ports";

export interface RegisterDeps {
  store: EventStore;
  now: () => Date;
  newId: () => string;
}

/** `bot`: an app's bot (usecases/apps.ts); people are registered without it. */
export async function registerUser(userId: string, name: string, deps: RegisterDeps, kind: { bot?: true } = {}): Promise<"registered" | "known"> {
  const event: StoredEvent = {
    type: "user_registered",
    eventId: deps.newId(),
    stream: userStream(userId),
    seq: 1,
    timestamp: deps.now().toISOString(),
    userId,
    name: name.trim().slice(0, 80) || "Someone",
    ...(kind.bot ? { bot: true } : {}),
  };
  // The table's stream carries it to the bus (functions/publish).
  return (await deps.store.append(event)) === "conflict" ? "known" : "registered";
}
