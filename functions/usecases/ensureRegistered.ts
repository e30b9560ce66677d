/**
 * The account's first authenticated call: a second, belt-and-braces path to
 * `user_registered` for pools where the confirmation trigger did not run. Remembered per
 * container, so it costs one read per user per container.
 */
import { userStream } from "../domain/events";
import { registerUser, type RegisterDeps } from "./registerUser";

const known = new Set<string>();

export async function ensureRegistered(userId: string, name: unknown, deps: RegisterDeps): Promise<void> {
  if (known.has(userId)) return;
  if (await deps.store.exists(userStream(userId), 1)) known.add(userId);
  else if (typeof name === "string" && name.trim()) {
    await registerUser(userId, name, deps);
    known.add(userId);
  }
}
