/** The channel head as stored: with the open page inside it, if there is one. Readers see `ChannelHead`. */
import type { ChannelHead, ChannelPage } from "./channel";

export interface StoredHead extends ChannelHead {
  openPage?: ChannelPage;
}

export function splitHead(stored: StoredHead | undefined): { head: ChannelHead | undefined; openPage: ChannelPage | undefined } {
  if (!stored) return { head: undefined, openPage: undefined };
  const { openPage, ...head } = stored;
  return { head, openPage };
}

export function joinHead(head: ChannelHead, openPage: ChannelPage | undefined): StoredHead {
  return openPage ? { ...head, openPage } : head;
}

