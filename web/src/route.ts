/**
 * The open channel (and thread) is in the URL, so reloads and shared links land on it:
 * `/c/<channelId>`, `/c/<channelId>/t/<messageId>` with a thread open beside it; `/` otherwise.
 */
export type Route = { kind: "home" } | { kind: "mentions" } | { kind: "channel"; channelId: string; threadId?: string };

const uuid = "([0-9a-fA-F-]{36})";

export function parseRoute(pathname: string): Route {
  const channel = new RegExp(`^/c/${uuid}(?:/t/${uuid})?/?$`).exec(pathname);
  if (channel?.[1]) return { kind: "channel", channelId: channel[1].toLowerCase(), ...(channel[2] ? { threadId: channel[2].toLowerCase() } : {}) };
  if (/^\/mentions\/?$/.test(pathname)) return { kind: "mentions" };
  return { kind: "home" };
}

export const mentionsPath = "/mentions";
export const channelPath = (channelId: string) => `/c/${channelId}`;
export const threadPath = (channelId: string, threadId: string) => `/c/${channelId}/t/${threadId}`;
