/** The `notify` entry of the routing table: pushes each channel event to its audience's sockets. */
import type { EventBridgeEvent } from "aws-lambda";
import { realtimeAdapters } from "../adapters/realtimeWiring";
import { awsAdapters } from "../adapters/wiring";
import type { StoredEvent } from "../domain/events";
import { notify } from "../usecases/notify";

export async function handler(event: EventBridgeEvent<string, StoredEvent>): Promise<void> {
  if (!event.detail || typeof event.detail.type !== "string") throw new Error("notify got an event without a stored event in its detail.");
  // A replay rebuilds views; pushing old events to open sockets would only be noise.
  if ((event as { "replay-name"?: string })["replay-name"]) return;
  await notify(event.detail, { store: awsAdapters().store, ...realtimeAdapters() });
}
