/**
 * The mentions a person has (`views/users/me/mentions`, newest first) and how many are new
 * since they last looked. Pure: the fetch, the clock and the storage come in.
 */
import type { ChatApi } from "../api/apiError";
import type { Mention } from "../../../functions/domain/projections/mentions";

export type { Mention };

export interface MentionsPage {
  mentions: Mention[];
  page: number;
  pageCount: number;
}

export async function loadMentions(api: ChatApi): Promise<Mention[]> {
  try {
    return (await api.view<MentionsPage>("users/me/mentions")).mentions;
  } catch {
    return []; // not built yet (404) or offline: nothing to show, try again later
  }
}

/** Mentions sent after the last time the person opened the list. */
export const unseenCount = (mentions: readonly Mention[], seenUntil: string | undefined) =>
  mentions.filter((m) => seenUntil === undefined || m.sentAt > seenUntil).length;

/** Whether a pushed event may have mentioned someone: worth reading the list again. */
export const mayMention = (event: { type: string; text?: string }) =>
  (event.type === "message_sent" || event.type === "message_edited") && (event.text ?? "").includes("@");
