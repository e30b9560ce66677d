/**
 * The screen is in the URL, so reloads and shared links land on it: `/c/<channelId>` for a
 * channel, `/browse` for the channel browser, `/` otherwise.
 */
export type Route = { kind: "home" } | { kind: "browse" } | { kind: "channel"; channelId: string };

export function parseRoute(pathname: string): Route {
  const channel = /^\/c\/([0-9a-fA-F-]{36})\/?$/.exec(pathname);
  if (channel?.[1]) return { kind: "channel", channelId: channel[1].toLowerCase() };
  if (/^\/browse\/?$/.test(pathname)) return { kind: "browse" };
  return { kind: "home" };
}

export const channelPath = (channelId: string) => `/c/${channelId}`;
export const browsePath = "/browse";
