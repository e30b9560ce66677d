/** The open channel is in the URL, so reloads and shared links land on it: `/c/<channelId>`; `/` otherwise. */
export type Route = { kind: "home" } | { kind: "mentions" } | { kind: "channel"; channelId: string };

export function parseRoute(pathname: string): Route {
  const channel = /^\/c\/([0-9a-fA-F-]{36})\/?$/.exec(pathname);
  if (channel?.[1]) return { kind: "channel", channelId: channel[1].toLowerCase() };
  if (/^\/mentions\/?$/.test(pathname)) return { kind: "mentions" };
  return { kind: "home" };
}

export const mentionsPath = "/mentions";
export const channelPath = (channelId: string) => `/c/${channelId}`;
