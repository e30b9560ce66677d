/**
 * What someone had typed into a channel's message box and not sent, kept per person and
 * channel in the browser's storage, so that switching channels or reloading loses nothing.
 */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const keyOf = (userId: string, channelId: string) => `chat.draft.${userId}.${channelId}`;

export function loadDraft(storage: DraftStorage, userId: string, channelId: string): string {
  try {
    return storage.getItem(keyOf(userId, channelId)) ?? "";
  } catch {
    return ""; // storage refused (private mode): no drafts, nothing broken
  }
}

export function saveDraft(storage: DraftStorage, userId: string, channelId: string, text: string): void {
  try {
    if (text.trim()) storage.setItem(keyOf(userId, channelId), text);
    else storage.removeItem(keyOf(userId, channelId));
  } catch {
    // full or refused: the draft lives as long as the page does
  }
}
