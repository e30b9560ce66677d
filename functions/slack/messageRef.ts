/**
 * A `ts` back to its message: the event at the ts's seq in the channel's stream, one item
 * read, which must be a `message_sent` of that very second. Anything else finds nothing.
 */
import { channelStream, type MessageSent } from "../domain/events";
import type { EventStore } from "../ports";
import { parseTs } from "./ts";

export async function messageAt(store: Pick<EventStore, "at">, channelId: string, ts: string | undefined): Promise<MessageSent | undefined> {
  const parts = parseTs(ts);
  if (!parts || !/^[0-9a-f-]{36}$/.test(channelId)) return undefined;
  const event = await store.at(channelStream(channelId), parts.seq);
  if (event?.type !== "message_sent" || event.channelId !== channelId) return undefined;
  return Math.floor(Date.parse(event.timestamp) / 1000) === parts.seconds ? event : undefined;
}
