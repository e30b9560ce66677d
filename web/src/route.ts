/**
 * The open channel (and thread) is in the URL, so reloads and shared links land on it:
 * `/c/<channelId>`, `/c/<channelId>/t/<messageId>` with a thread open beside it; `/` otherwise.
 * `?m=<messageId>` names a message to open the channel (or thread) at, as a search result does;
 * `/search?q=<query>` is a search's results.
 */
export type Route =
  | { kind: "home" }
  | { kind: "mentions" }
  | { kind: "search"; query: string }
  | { kind: "channel"; channelId: string; threadId?: string; messageId?: string };

const uuid = "([0-9a-fA-F-]{36})";
const isUuid = /^[0-9a-fA-F-]{36}$/;

export function parseRoute(pathname: string, search = ""): Route {
  const params = new URLSearchParams(search);
  const channel = new RegExp(`^/c/${uuid}(?:/t/${uuid})?/?$`).exec(pathname);
  if (channel?.[1]) {
    const messageId = params.get("m") ?? "";
    return {
      kind: "channel",
      channelId: channel[1].toLowerCase(),
      ...(channel[2] ? { threadId: channel[2].toLowerCase() } : {}),
      ...(isUuid.test(messageId) ? { messageId: messageId.toLowerCase() } : {}),
    };
  }
  if (/^\/mentions\/?$/.test(pathname)) return { kind: "mentions" };
  if (/^\/search\/?$/.test(pathname)) return { kind: "search", query: params.get("q") ?? "" };
  return { kind: "home" };
}

export const mentionsPath = "/mentions";
export const channelPath = (channelId: string) => `/c/${channelId}`;
export const threadPath = (channelId: string, threadId: string) => `/c/${channelId}/t/${threadId}`;
export const searchPath = (query: string) => `/search?q=${encodeURIComponent(query)}`;
/** A message in its channel, or a reply in its thread. */
export const messagePath = (channelId: string, messageId: string, threadId?: string) =>
  `${threadId ? threadPath(channelId, threadId) : channelPath(channelId)}?m=${messageId}`;
