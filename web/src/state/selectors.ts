/** What the screens show, derived from the chat state (pure, so the sidebar's rules are testable). */
import type { ChatState } from "./chatStore";
import { dmTitle, isDm } from "./dms";
import { type MessageRow, rowsOf } from "./outbox";
import { unreadCount } from "./readMarks";
import { messagesOf, type Timeline } from "./timeline";

export interface SidebarChannel {
  channelId: string;
  name: string;
  private: boolean;
  unread: number;
}

/** The channels we are in (DMs apart), by name, with how many messages came after our read mark. */
export function sidebarChannels(state: Pick<ChatState, "timelines" | "read" | "counted" | "me">): SidebarChannel[] {
  const out: SidebarChannel[] = [];
  for (const [channelId, t] of state.timelines) {
    const head = t.head;
    if (!head || !head.members.includes(state.me.userId) || isDm(head)) continue;
    out.push({ channelId, name: head.name, private: head.private, unread: unreadCount(head, state.read[channelId], state.counted.get(channelId)) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Our DMs, each named by the other people in it ("Ben", "Ben, Cat"), by that name, with their unread counts. */
export function sidebarDms(state: Pick<ChatState, "timelines" | "read" | "counted" | "me" | "users">): SidebarChannel[] {
  const out: SidebarChannel[] = [];
  for (const [channelId, t] of state.timelines) {
    const head = t.head;
    if (!head || !isDm(head) || !head.members.includes(state.me.userId)) continue;
    out.push({ channelId, name: dmTitle(head.members, state.users, state.me.userId), private: true, unread: unreadCount(head, state.read[channelId], state.counted.get(channelId)) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || (a.channelId < b.channelId ? -1 : 1));
}

/** A channel's list; before its timeline could be read (a reload during an outage), our unsent messages alone. */
export function rowsFor(t: Timeline | undefined, outbox: ChatState["outbox"], channelId = t?.channelId): MessageRow[] {
  if (t) return rowsOf(messagesOf(t), outbox, t.channelId);
  return channelId ? rowsOf([], outbox, channelId) : [];
}

/** The name to show for a user id; ids we cannot name yet (a brand-new account) get a placeholder. */
export function nameOf(users: ChatState["users"], userId: string): string {
  return users.get(userId) || "Someone";
}

/**
 * The tab's title: "(3) #general — Chat". The count is of unread messages in our channels,
 * the one on screen included while the tab is hidden (nobody is reading it then).
 */
export function titleOf(channels: readonly SidebarChannel[], openId: string | undefined, openName: string | undefined, visible: boolean): string {
  const unread = channels.reduce((n, c) => n + (c.channelId === openId && visible ? 0 : c.unread), 0);
  return `${unread ? `(${unread}) ` : ""}${openName ? `#${openName} — ` : ""}Chat`;
}
