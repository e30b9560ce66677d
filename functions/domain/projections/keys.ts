/** Where each view lives in the views bucket; the views API maps URL paths onto these. */
export const viewKeys = {
  directory: () => "channels/index.json",
  head: (channelId: string) => `channels/${channelId}/head.json`,
  page: (channelId: string, page: number) => `channels/${channelId}/pages/${page}.json`,
  /** Later changes to the messages of a sealed page; sealed pages themselves are never rewritten. */
  pageEdits: (channelId: string, page: number) => `channels/${channelId}/pages/${page}.edits.json`,
  users: () => "users/index.json",
  user: (userId: string) => `users/${userId}.json`,
} as const;
