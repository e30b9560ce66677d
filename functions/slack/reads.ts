/** Reads through the views' own authorization (functions/usecases/readView.ts): a caller reads here exactly what GET /views/… gives them. */
import { readView } from "../usecases/readView";
import type { SlackCall } from "./answer";

/** The view at `path` as the caller may see it, or undefined when it is refused or not there (yet). */
export async function readAs<T>(call: Pick<SlackCall, "userId" | "deps">, path: string): Promise<T | undefined> {
  const result = await readView(path, call.userId, call.deps.views, call.deps.readMarks);
  return result.kind === "view" ? (JSON.parse(result.body) as T) : undefined;
}

/** Whether the caller may see the channel: a public one, or one they are in. */
export const canSee = async (call: Pick<SlackCall, "userId" | "deps">, channelId: string): Promise<boolean> =>
  (await readAs(call, `channels/${channelId}`)) !== undefined;
