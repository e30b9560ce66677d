/**
 * Every write of the Slack API is an event appended as POST /events appends it: checked by
 * the same validation (checkEventInput), then appendEvent (membership, rules, idempotency,
 * events on the bus through the table's stream). Only the answers are translated.
 */
import type { Accepted } from "../ports";
import { checkEventInput } from "../http/parseEventRequest";
import { appendEvent } from "../usecases/appendEvent";
import { fail, type SlackCall, type SlackError } from "./answer";
import { refusalError, type RefusalNames, validationError } from "./errors";
import { canSee } from "./reads";

export type WriteResult = { accepted: Accepted } | { refusal: string; error: SlackError };

export async function write(call: SlackCall, event: Record<string, unknown> & { type: string; channelId?: string }, names: RefusalNames = {}): Promise<WriteResult> {
  // An argument not given is a field not sent (the check then says it is required), not one sent empty.
  const checked = checkEventInput(Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)));
  if (!checked.ok) return { refusal: checked.error.code, error: fail(validationError(checked.error)) };
  const { deps, userId, idempotencyKey } = call;
  const result = await appendEvent({ input: checked.input, userId, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) }, deps);
  switch (result.kind) {
    case "accepted":
      return { accepted: result.accepted };
    case "busy":
      // "Retry shortly": what Slack's clients do on ratelimited, after Retry-After.
      return { refusal: "busy", error: fail("ratelimited", result.retryAfterSeconds) };
    case "refused": {
      const channelId = typeof event.channelId === "string" ? event.channelId.toLowerCase() : "";
      const error = await refusalError(result.refusal, () => canSee(call, channelId), names);
      return { refusal: result.refusal.code, error: fail(error) };
    }
  }
}
