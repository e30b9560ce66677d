/**
 * Pushes a channel event to the sockets of those who may see it, deciding membership at
 * send time from the store (not from a view that may lag), and forgets sockets API Gateway
 * says are gone.
 *
 * A channel's sockets are found by its presence (the connections entered in it), so the
 * work per message follows the channel's online members, not the system's connections nor
 * the channel's size. Presence is only where to look: an entry whose user is no longer a
 * member (a leave not yet taken out, a connect that read a lagging view) is filtered out
 * here, before anything is sent. Membership events keep presence up to date: the users they
 * concern (one, or every member of a DM being opened) are entered in or taken out of the channel as the channel's state says at send
 * time, as of its version, so an older verdict processed late cannot undo a newer one.
 *
 * Events reach notify in any order and at once: a message may be pushed before the join
 * just before it has entered the joiner's sockets. So the join's run, once it has entered
 * them, pushes them the channel's events after the join (up to the joiner's next membership
 * change: never what they may not see). Either the message's run found the sockets entered,
 * or it ran before they were, and then the join's run, reading after entering, finds the
 * message: the joiner gets it once or twice, never not at all.
 */
import { audienceOf } from "../domain/audience";
import { type ChannelEvent, isChannelEvent, type StoredEvent } from "../domain/events";
import type { ChannelState } from "../domain/channel/state";
import { inParallel } from "../domain/inParallel";
import { membershipChanges } from "../domain/projections/user";
import type { Connection, ConnectionStore, EventStore, MembershipStore, Pusher } from "../ports";
import { loadChannel } from "./loadChannel";

export interface NotifyDeps {
  store: EventStore;
  connections: ConnectionStore;
  memberships: MembershipStore;
  pusher: Pusher;
}

/** Pushes in flight at once: the SDK's default pool of sockets per client (50). */
export const pushConcurrency = 50;

export async function notify(event: StoredEvent, deps: NotifyDeps): Promise<{ sent: number; gone: number }> {
  if (event.type === "user_registered") return { sent: 0, gone: 0 };
  // A burst of renames is told once, by its last: a later one in the stream supersedes this one.
  if (event.type === "user_renamed" && (await deps.store.exists(event.stream, event.seq + 1))) return { sent: 0, gone: 0 };
  // A rename is everyone's to see, as the users directory is: rare, so one read of every connection.
  if (!isChannelEvent(event)) return tally(none, await push(event, await deps.connections.all(), deps));
  const { state } = await loadChannel(deps.store, event.channelId);
  const concerned = await updatePresence(event, state, deps);
  const audience = audienceOf(event, state.members);
  const allowed = new Set(audience.everyone ? [] : audience.users);
  // The one who joined or left is reached through their own connections: the leaver has just been taken out.
  const found = audience.everyone ? await deps.connections.all() : [...(await deps.connections.inChannel(event.channelId)), ...concerned];
  const targets = [...new Map(found.map((c) => [c.connectionId, c])).values()].filter((c) => audience.everyone || allowed.has(c.userId));
  const pushed = await push(event, targets, deps, audience.everyone ? undefined : event.channelId);
  const live = concerned.filter((c) => !pushed.goneIds.has(c.connectionId));
  return tally(pushed, await pushSinceJoin(event, state, live, deps));
}

/** The events after a join that its run pushes the joiner at most; a client that missed more reads them from the views. */
export const sinceJoinEvents = 50;

/**
 * Pushes a joiner's just-entered sockets the channel's events after the join, in order, up
 * to their next membership change: those pushed before the sockets were entered (a DM's
 * opening joins each of its members so; they never change after). Best effort: a socket
 * that is gone is dropped at once, and a failed push does not make the bus deliver the join
 * again (to everyone): the client fills a gap from the views.
 */
async function pushSinceJoin(event: ChannelEvent, state: ChannelState, concerned: readonly Connection[], deps: NotifyDeps): Promise<Pushed> {
  const joiners = membershipChanges(event).filter((c) => c.member && state.members.includes(c.userId)).map((c) => c.userId);
  if (joiners.length === 0 || !concerned.some((c) => joiners.includes(c.userId))) return none;
  const after = await deps.store.read(event.stream, event.seq, sinceJoinEvents);
  let pushed = none;
  for (const userId of joiners) {
    let live = concerned.filter((c) => c.userId === userId);
    const next = after.findIndex((e) => membershipChanges(e).some((c) => c.userId === userId));
    for (const missed of next === -1 ? after : after.slice(0, next)) {
      if (live.length === 0) break;
      const result = await push(missed, live, deps, event.channelId).catch(() => ({ ...none, goneIds: new Set<string>() }));
      live = live.filter((c) => !result.goneIds.has(c.connectionId));
      pushed = tally(pushed, result);
    }
  }
  return pushed;
}

type Pushed = { sent: number; gone: number };
const none: Pushed = { sent: 0, gone: 0 };
const tally = (a: Pushed, b: Pushed): Pushed => ({ sent: a.sent + b.sent, gone: a.gone + b.gone });

/**
 * Enters the connections of the users a membership event concerns in the channel, or takes
 * them out, by the channel's state at send time; returns those connections. The verdict is
 * recorded before the connections are looked for (openConnection.ts says why).
 */
async function updatePresence(event: ChannelEvent, state: ChannelState, deps: NotifyDeps): Promise<Connection[]> {
  const concerned = await Promise.all(
    membershipChanges(event).map(async ({ userId }) => {
      const member = state.members.includes(userId);
      await deps.memberships.record(userId, event.channelId, { seq: state.version, member });
      const connections = await deps.connections.ofUser(userId);
      if (member) await Promise.all(connections.map((c) => deps.connections.enter(c, [{ channelId: event.channelId, version: state.version }])));
      else await deps.connections.exit(event.channelId, connections, state.version);
      return connections;
    }),
  );
  return concerned.flat();
}

async function push(event: StoredEvent, targets: readonly Connection[], deps: NotifyDeps, channelId?: string): Promise<Pushed & { goneIds: Set<string> }> {
  const data = JSON.stringify({ type: "event", event });
  let sent = 0;
  const goneIds = new Set<string>();
  await inParallel(targets, pushConcurrency, async (connection) => {
    if ((await deps.pusher.push(connection.connectionId, data)) === "sent") sent++;
    else {
      goneIds.add(connection.connectionId);
      await deps.connections.remove(connection, channelId ? [channelId] : []);
    }
  });
  return { sent, gone: goneIds.size, goneIds };
}
