/**
 * Pushes a channel event to the sockets of those who may see it, deciding membership at
 * send time from the store (not from a view that may lag), and forgets sockets API Gateway
 * says are gone.
 */
import { audienceOf } from "../domain/audience";
import { isChannelEvent, type StoredEvent } from "../domain/events";
import type { Connection, ConnectionStore, EventStore, Pusher } from "../ports";
import { loadChannel } from "./loadChannel";

export interface NotifyDeps {
  store: EventStore;
  connections: ConnectionStore;
  pusher: Pusher;
}

/**
 * Up to this many users, one query per user; past it, one read of every open connection,
 * filtered: in a big channel that is one request instead of one per member, and it costs
 * what the connections weigh, not what the members do.
 */
export const perUserLookups = 8;

function connectionsOf(users: readonly string[], connections: ConnectionStore): Promise<Connection[]> {
  if (users.length <= perUserLookups) return Promise.all(users.map((u) => connections.ofUser(u))).then((found) => found.flat());
  const audience = new Set(users);
  return connections.all().then((all) => all.filter((c) => audience.has(c.userId)));
}

export async function notify(event: StoredEvent, deps: NotifyDeps): Promise<{ sent: number; gone: number }> {
  if (event.type === "user_registered") return { sent: 0, gone: 0 };
  // A burst of renames is told once, by its last: a later one in the stream supersedes this one.
  if (event.type === "user_renamed" && (await deps.store.exists(event.stream, event.seq + 1))) return { sent: 0, gone: 0 };
  // A rename is everyone's to see, as the users directory is: rare, so one read of every connection.
  const audience = isChannelEvent(event) ? audienceOf(event, (await loadChannel(deps.store, event.channelId)).state.members) : { everyone: true as const };
  const targets = audience.everyone ? await deps.connections.all() : await connectionsOf(audience.users, deps.connections);
  const data = JSON.stringify({ type: "event", event });
  let sent = 0;
  let gone = 0;
  await Promise.all(
    targets.map(async (connection) => {
      if ((await deps.pusher.push(connection.connectionId, data)) === "sent") sent++;
      else {
        gone++;
        await deps.connections.remove(connection);
      }
    }),
  );
  return { sent, gone };
}
