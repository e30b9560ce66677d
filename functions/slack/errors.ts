/**
 * The store's refusals and validation problems under Slack's error names. A channel the
 * caller may not see (private, or a DM they are not in) is `channel_not_found` whatever
 * the store said, so no answer tells whether it exists; only a channel the caller can see
 * (a public one) gets `not_in_channel`.
 */
import type { FieldProblem } from "../http/parseEventRequest";
import type { ApiError } from "../http/responses";
import type { Refusal } from "../domain/refusal";

/** The method's own name for "not the author" (chat.update, chat.delete). */
export interface RefusalNames {
  notAuthor?: string;
}

/** The Slack error for a refusal of the store; `visible` says whether the caller can see the channel (asked only when it matters). */
export async function refusalError(refusal: Pick<Refusal, "status" | "code">, visible: () => Promise<boolean>, names: RefusalNames = {}): Promise<string> {
  switch (refusal.code) {
    case "channel_not_found":
      return "channel_not_found";
    case "not_member":
      return (await visible()) ? "not_in_channel" : "channel_not_found";
    case "forbidden":
      // Joining a private channel (invisible) or a DM one is in (visible: no such thing as joining it).
      return (await visible()) ? "method_not_supported_for_channel_type" : "channel_not_found";
    case "not_author":
      return names.notAuthor ?? "cant_update_message";
    case "message_not_found":
    case "invalid_thread":
      return "message_not_found";
    default:
      return refusal.status === 404 ? "channel_not_found" : refusal.status === 403 ? "restricted_action" : "invalid_arguments";
  }
}

/** The Slack error for an input POST /events' checks refuse, by the first field at fault. */
export function validationError(error: ApiError): string {
  const problems = Array.isArray(error.details) ? (error.details as FieldProblem[]) : [];
  for (const { field, message } of problems) {
    if (field === "text") return /at most/.test(message) ? "msg_too_long" : /empty|required/.test(message) ? "no_text" : "invalid_arguments";
    if (field === "channelId") return "channel_not_found";
    if (field === "emoji") return "invalid_name";
  }
  return "invalid_arguments";
}
