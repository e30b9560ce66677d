/**
 * Pushes a channel event to the sockets of those who may see it, deciding membership at
 * send time from the store (not from a view that may lag), and forgets sockets API Gateway
 * says are gone.
 */
import { audienceOf } from "../domain/audience";
import type { StoredEvent } from "../domain/events";
import type { ConnectionStore, EventStore, Pusher } from "../ports";
import { loadChannel } from "./loadChannel";

export interface NotifyDeps {
  store: EventStore;
  connections: ConnectionStore;
  pusher: Pusher;
}

export async function notify(event: StoredEvent, deps: NotifyDeps): Promise<{ sent: number; gone: number }> {
  if (event.type === "user_registered") return { sent: 0, gone: 0 };
  const { state } = await loadChannel(deps.store, event.channelId);
  const audience = audienceOf(event, state.members);
  const targets = audience.everyone
    ? await deps.connections.all()
    : (await Promise.all(audience.users.map((u) => deps.connections.ofUser(u)))).flat();
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
