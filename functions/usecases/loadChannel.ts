/** The channel's decide-state: the latest snapshot plus the events appended after it. */
import { type ChannelEvent, channelStream } from "../domain/events";
import { type ChannelState, foldChannel, initialChannelState, isCurrentState } from "../domain/channel/state";
import type { EventStore } from "../ports";

/** How far the stream may run ahead of its snapshot before the store writes a new one. */
export const snapshotEvery = 16;

export interface LoadedChannel {
  state: ChannelState;
  snapshotVersion: number;
}

export async function loadChannel(store: EventStore, channelId: string): Promise<LoadedChannel> {
  const stream = channelStream(channelId);
  const stored = await store.readSnapshot<ChannelState>(stream);
  const snapshot = stored && isCurrentState(stored.state) ? stored : undefined;
  const tail = (await store.read(stream, snapshot?.version ?? 0)) as ChannelEvent[];
  return { state: foldChannel(snapshot?.state ?? initialChannelState, tail), snapshotVersion: snapshot?.version ?? 0 };
}

/** Brings a loaded state up to date after losing an append race; `tail` is what it missed. */
export async function catchUp(store: EventStore, loaded: LoadedChannel, channelId: string): Promise<LoadedChannel & { tail: ChannelEvent[] }> {
  const tail = (await store.read(channelStream(channelId), loaded.state.version)) as ChannelEvent[];
  return { ...loaded, state: foldChannel(loaded.state, tail), tail };
}
