/** Where each view lives in the views bucket; the views API maps URL paths onto these. */
export const viewKeys = {
  /** Every channel's id and privacy: written only when a channel is created. */
  listing: () => "channels.json",
  /** A channel's directory entry, written only by that channel's runs. */
  entry: (channelId: string) => `entries/${channelId}.json`,
  head: (channelId: string) => `channels/${channelId}/head.json`,
  /** A big channel's members, apart from its head (storedHead.ts); written only when they change. */
  members: (channelId: string) => `channels/${channelId}/members.json`,
  page: (channelId: string, page: number) => `channels/${channelId}/pages/${page}.json`,
  /** Later changes to the messages of a sealed page; sealed pages themselves are never rewritten. */
  pageEdits: (channelId: string, page: number) => `channels/${channelId}/pages/${page}.edits.json`,
  /** A thread's head, with its open page inside (thread.ts). */
  thread: (channelId: string, threadId: string) => `channels/${channelId}/threads/${threadId}.json`,
  threadPage: (channelId: string, threadId: string, page: number) => `channels/${channelId}/threads/${threadId}/pages/${page}.json`,
  users: () => "users/index.json",
  user: (userId: string) => `users/${userId}.json`,
  names: () => "names.json",
  mentions: (userId: string) => `mentions/${userId}.json`,
  messageMentions: (channelId: string, messageId: string) => `messages/${channelId}/${messageId}.json`,
  /** A channel's search index: its segments, and what is not in them yet (search.ts). */
  searchHead: (channelId: string) => `index/${channelId}.json`,
  /** An immutable segment of a channel's search index, named once (search.ts). */
  searchSegment: (channelId: string, name: string) => `segments/${channelId}/${name}.json`,
  /** A projection's own checkpoint in a stream, where its views do not carry one. */
  checkpoint: (stream: string) => `checkpoints/${stream}.json`,
} as const;

/** The metadata key (S3 `x-amz-meta-…`) beside a channel head that holds its `lastSeq`. */
export const headLastSeqMeta = "last-seq";
