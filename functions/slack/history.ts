/**
 * conversations.history and conversations.replies, read from the channel's pages and its
 * threads' pages through the views' authorization (a caller reads what GET /views/… gives
 * them). History is newest first, top-level messages only (replies live in their thread,
 * as on Slack), deleted ones left out; a call reads at most `maxPageReads` pages and says
 * `has_more` with a cursor when it stopped before the channel's beginning.
 */
import type { ChannelHead, ChannelPage, PageMessage } from "../domain/projections/channel";
import type { ThreadHead, ThreadPage } from "../domain/projections/thread";
import { boolArg, intArg } from "./args";
import { fail, ok, type SlackAnswer, type SlackCall } from "./answer";
import { decodeCursor, encodeCursor } from "./cursor";
import { messageAt } from "./messageRef";
import { slackMessage } from "./messages";
import { readAs } from "./reads";
import { compareTs, parseBound, partsOf, type TsParts, tsOf } from "./ts";

const maxPageReads = 10;
const isChannelId = (id: string) => /^[0-9a-f-]{36}$/.test(id);

export async function history(call: SlackCall): Promise<SlackAnswer> {
  const { args } = call;
  const channelId = (args.channel ?? "").toLowerCase();
  const limit = intArg(args, "limit", { min: 1, max: 200, fallback: 100 });
  if (typeof limit !== "number") return fail(limit.error);
  const latest = args.latest ? parseBound(args.latest) : undefined;
  if (args.latest && !latest) return fail("invalid_ts_latest");
  const oldest = args.oldest ? parseBound(args.oldest) : undefined;
  if (args.oldest && !oldest) return fail("invalid_ts_oldest");
  const cursor = args.cursor ? decodeCursor(args.cursor, ["page", "before"]) : undefined;
  if (args.cursor && !cursor) return fail("invalid_cursor");
  const head = isChannelId(channelId) ? await readAs<ChannelHead>(call, `channels/${channelId}`) : undefined;
  if (!head) return fail("channel_not_found");
  const within = inRange(latest, oldest, boolArg(args, "inclusive"));
  const found: PageMessage[] = [];
  let page = Math.min(cursor?.page ?? head.pageCount - 1, head.pageCount - 1);
  let before = cursor?.before ?? Number.MAX_SAFE_INTEGER;
  let more = false;
  pages: for (let reads = 0; page >= 0; page--, reads++) {
    if (reads === maxPageReads) {
      more = true;
      break;
    }
    const doc = await readAs<ChannelPage>(call, `channels/${channelId}/pages/${page}`);
    const newestFirst = (doc?.messages ?? []).filter((m): m is PageMessage => m !== null && m.seq < before && !m.deleted).reverse();
    for (const message of newestFirst) {
      const place = within(partsOf(message));
      if (place === "newer") continue;
      if (place === "older") break pages;
      if (found.length === limit) {
        more = true;
        break pages;
      }
      found.push(message);
      before = message.seq;
    }
  }
  const next = more ? encodeCursor({ page: Math.max(page, 0), before }) : "";
  return ok({ messages: found.map((m) => slackMessage(m)), has_more: more, pin_count: 0, response_metadata: { next_cursor: next } });
}

/** Where a message's ts falls against `latest`/`oldest` (each exclusive unless `inclusive`). */
function inRange(latest: TsParts | undefined, oldest: TsParts | undefined, inclusive: boolean) {
  return (ts: TsParts): "newer" | "older" | "in" => {
    if (latest && (inclusive ? compareTs(ts, latest) > 0 : compareTs(ts, latest) >= 0)) return "newer";
    if (oldest && (inclusive ? compareTs(ts, oldest) < 0 : compareTs(ts, oldest) <= 0)) return "older";
    return "in";
  };
}

/**
 * The thread of the message `ts` names (its root, or one of its replies): the root first,
 * then the replies oldest first, a page at a time (`cursor`: the place in the thread to go on from).
 */
export async function replies(call: SlackCall): Promise<SlackAnswer> {
  const { args, deps } = call;
  const channelId = (args.channel ?? "").toLowerCase();
  const limit = intArg(args, "limit", { min: 1, max: 200, fallback: 100 });
  if (typeof limit !== "number") return fail(limit.error);
  const cursor = args.cursor ? decodeCursor(args.cursor, ["offset"]) : { offset: 0 };
  if (!cursor) return fail("invalid_cursor");
  const head = isChannelId(channelId) ? await readAs<ChannelHead>(call, `channels/${channelId}`) : undefined;
  if (!head) return fail("channel_not_found");
  // Read only once the caller may see the channel: the store is not asked about channels they may not.
  const named = await messageAt(deps.store, channelId, args.ts);
  if (!named) return fail("thread_not_found");
  const rootId = named.threadId ?? named.messageId;
  const rootPage = await readAs<ChannelPage>(call, `channels/${channelId}/pages/${Math.floor(named.position / head.pageSize)}`);
  const root = rootPage?.messages.find((m): m is PageMessage => m?.messageId === rootId);
  if (!root) return fail("thread_not_found");
  const thread = await readAs<ThreadHead>(call, `channels/${channelId}/threads/${rootId}`);
  const { messages: found, next } = thread ? await repliesFrom(call, channelId, rootId, thread, cursor.offset, limit) : { messages: [], next: undefined };
  const rootTs = tsOf(root.sentAt, root.seq);
  const shaped = found.map((m) => slackMessage(m, { ts: rootTs, user: root.userId }));
  const first = cursor.offset === 0 ? [root.deleted ? { ...slackMessage(root), subtype: "tombstone" } : slackMessage(root)] : [];
  return ok({ messages: [...first, ...shaped], has_more: next !== undefined, response_metadata: { next_cursor: next === undefined ? "" : encodeCursor({ offset: next }) } });
}

/** Up to `limit` replies not deleted, from place `offset` of the thread on, and the place after the last one read if more remain. */
async function repliesFrom(call: SlackCall, channelId: string, rootId: string, thread: ThreadHead, offset: number, limit: number) {
  const messages: PageMessage[] = [];
  let place = offset;
  for (let n = Math.floor(offset / thread.pageSize); n < thread.pageCount; n++) {
    const page = await readAs<ThreadPage>(call, `channels/${channelId}/threads/${rootId}/pages/${n}`);
    for (const [i, message] of (page?.messages ?? []).entries()) {
      if (n * thread.pageSize + i < place) continue;
      if (messages.length === limit) return { messages, next: place };
      place = n * thread.pageSize + i + 1;
      if (!message.deleted) messages.push(message);
    }
  }
  return { messages, next: undefined };
}
