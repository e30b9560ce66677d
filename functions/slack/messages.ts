/**
 * Messages in Slack's shape, from the messages of the channel's and threads' pages
 * (CONTRACT §5, §9, §10): `user`, `text`, `ts`; a thread's root gets `thread_ts` (its own
 * ts), `reply_count` and `reply_users`; a reply gets its root's ts as `thread_ts`;
 * `reactions` as `{name, count, users}`; `edited` once edited.
 */
import type { PageMessage } from "../domain/projections/channel";
import { tsOf } from "./ts";

export interface SlackMessage {
  type: "message";
  user: string;
  text: string;
  ts: string;
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  edited?: { user: string; ts: string };
  reactions?: { name: string; count: number; users: string[] }[];
}

/** `thread`: for a reply, its root's ts and author. */
export function slackMessage(message: PageMessage, thread?: { ts: string; user: string }): SlackMessage {
  const ts = tsOf(message.sentAt, message.seq);
  const shaped: SlackMessage = { type: "message", user: message.userId, text: message.text, ts };
  if (thread) Object.assign(shaped, { thread_ts: thread.ts, parent_user_id: thread.user });
  else if (message.replyCount) {
    const users = message.replyUserIds ?? [];
    Object.assign(shaped, { thread_ts: ts, reply_count: message.replyCount, reply_users: users, reply_users_count: users.length });
  }
  // An edit's own seq is not on the page: its time, with no order within the second.
  if (message.editedAt) shaped.edited = { user: message.userId, ts: `${Math.floor(Date.parse(message.editedAt) / 1000)}.000000` };
  if (message.reactions?.length) shaped.reactions = message.reactions.map((r) => ({ name: r.emoji, count: r.count, users: r.userIds }));
  return shaped;
}
