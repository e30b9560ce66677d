/**
 * A chat store for Ann, with #general (Ann and Ben in it) in the fake views; her writes land
 * in the channel's history and are pushed back unless `push` is off. For the web state's
 * unit tests (test/web/chatStore.test.ts, outage.test.ts).
 */
import { ChatStore } from "../../web/src/state/chatStore";
import { rowsFor, sidebarChannels } from "../../web/src/state/selectors";
import { UnsentWrites, type WriteStorage } from "../../web/src/state/unsentWrites";
import { answerFor, FakeApi, FakeTimers } from "./browserFakes";
import { ChannelHistory, channelIds } from "./domainFixtures";

export const me = { userId: "u-ann", name: "Ann" };
export const ben = "u-ben";
export const general = channelIds.general;

/**
 * `other`: views to answer instead (an `Error` is thrown), from the start; `storage`: where
 * unsent writes are kept (`reload()` then starts a new store, as a reloaded page does).
 */
export async function setupChatStore(options: { push?: boolean; other?: Record<string, unknown>; storage?: WriteStorage } = {}) {
  const api = new FakeApi();
  const timers = new FakeTimers();
  const h = api.views.add(new ChannelHistory(general));
  h.created(ben);
  h.joined(me.userId);
  let ids = 0;
  const newStore = () => {
    const unsent = options.storage && new UnsentWrites(options.storage, me.userId, timers.now());
    return new ChatStore({ api, me, timers, newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`, random: () => 1, unsent });
  };
  let store = newStore();
  api.other = { users: { users: [me, { userId: ben, name: "Ben" }] }, "users/me": { channels: [general] }, channels: { channels: [] }, ...options.other };
  api.onPost = (body) => {
    const event =
      body.type === "message_sent"
        ? body.threadId
          ? h.replied(me.userId, body.messageId as string, body.threadId as string, body.text as string)
          : h.sent(me.userId, body.messageId as string, body.text as string)
        : body.type === "message_edited"
          ? h.edited(me.userId, body.messageId as string, body.text as string)
          : body.type === "message_deleted"
            ? h.deleted(me.userId, body.messageId as string)
            : body.type === "reaction_added"
              ? h.reacted(me.userId, body.messageId as string, body.emoji as string)
              : body.type === "reaction_removed"
                ? h.unreacted(me.userId, body.messageId as string, body.emoji as string)
            : body.type === "user_left_channel"
              ? h.left(me.userId)
              : h.joined(me.userId);
    if (options.push !== false) queueMicrotask(() => store.receive(event));
    return answerFor(event);
  };
  await store.start();
  await timers.advance(0);
  const rows = () => rowsFor(store.getState().timelines.get(general), store.getState().outbox, general);
  const sidebar = () => sidebarChannels(store.getState());
  /** The page reloaded: the old store is gone, a new one starts (and is returned). */
  const reload = async () => {
    store.dispose();
    store = newStore();
    await store.start();
    await timers.advance(0);
    return store;
  };
  return {
    api,
    timers,
    h,
    get store() {
      return store;
    },
    rows,
    sidebar,
    reload,
  };
}

