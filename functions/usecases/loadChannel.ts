/**
 * The channel's decide-state. A container keeps the latest state it folded of each channel
 * it lately served (bounded: boundedCache.ts), else starts from the stream's snapshot; either
 * way a load reads on with a consistent query of the events after it. A state is kept only
 * as folded from stored events, and every load reads on from it, so a kept state may be
 * behind the stream, never wrong; a decision on a state behind loses its conditional
 * append and is made again, as with any race.
 */
import { type ChannelEvent, channelStream } from "../domain/events";
import { type ChannelState, evolveChannel, foldChannel, initialChannelState, isCurrentState } from "../domain/channel/state";
import type { EventStore } from "../ports";
import { BoundedCache } from "./boundedCache";

/**
 * A snapshot only saves reading, so it is written when reading was paid for: the appender
 * whose load started from the stored snapshot (a container new to the channel, a state
 * evicted) and read this many events or more past it stores the state after its event. A
 * warm container reads on from the state it keeps (however many events other containers
 * appended since) and writes none: a message costs its three writes, nothing more.
 */
export const snapshotAfterReading = 16;

/**
 * And by a warm appender once the events it folded since the snapshot it knows of weigh
 * this much, or at every `snapshotEvery`th seq: what a load past the stored snapshot reads
 * stays bounded (a member posting 40,000-character messages cannot grow it to megabytes)
 * where only readers (notify, read marks) come cold to a channel the store's warm
 * containers serve.
 */
export const snapshotAfterBytes = 1024 * 1024;
export const snapshotEvery = 4096;

/** About what an event weighs in the stream: its JSON. */
const weightOf = (events: readonly ChannelEvent[]) => events.reduce((bytes, e) => bytes + JSON.stringify(e).length, 0);

export interface LoadedChannel {
  state: ChannelState;
  /** The version of the snapshot the state was first folded from (0: none). */
  snapshotVersion: number;
  /** How many events the load read past the stored snapshot it started from (0: it started from a state kept warm). */
  read: number;
  /** What the events folded since the snapshot this container last read or wrote weigh (`weightOf`). */
  unsnapshotted: number;
}

export type ChannelStates = BoundedCache<LoadedChannel>;

/** What a container's decide-states may hold: a 20,000-member channel's weighs about 1.6 MB. */
export const channelStatesBytes = 32 * 1024 * 1024;

/** About what a state weighs in memory: its member ids (a UUID string and its slot) dominate. */
const weigh = (loaded: LoadedChannel) => 256 + 2 * loaded.state.name.length + 80 * loaded.state.members.length;

export const newChannelStates = (maxBytes = channelStatesBytes): ChannelStates => new BoundedCache(maxBytes, weigh);

const statesByStore = new WeakMap<EventStore, ChannelStates>();

/** The decide-states kept beside an event store: one set per store, so per container (wiring.ts) and per test. */
export function channelStates(store: EventStore): ChannelStates {
  let states = statesByStore.get(store);
  if (!states) statesByStore.set(store, (states = newChannelStates()));
  return states;
}

/**
 * A kept state this many events or more behind the stream (its container served the
 * channel long ago) is not read on from: the stored snapshot is nearer, at most
 * `snapshotEvery` behind, so a load reads a bounded tail whatever happened meanwhile.
 */
export const keptStateReach = 256;

export async function loadChannel(store: EventStore, channelId: string, states = channelStates(store)): Promise<LoadedChannel> {
  const stream = channelStream(channelId);
  const kept = states.get(channelId);
  let start = kept;
  let read: ChannelEvent[] = [];
  if (kept) {
    read = (await store.read(stream, kept.state.version, keptStateReach)) as ChannelEvent[];
    if (read.length < keptStateReach) return remember(states, channelId, folded(kept, read, 0));
  }
  const stored = await readSnapshot(store, stream);
  if (stored && stored.state.version > (read.at(-1)?.seq ?? kept?.state.version ?? 0)) [start, read] = [stored, []];
  start ??= { state: initialChannelState, snapshotVersion: 0, read: 0, unsnapshotted: 0 };
  const after = read.at(-1)?.seq ?? start.state.version;
  const tail = [...read, ...((await store.read(stream, after)) as ChannelEvent[])];
  return remember(states, channelId, folded(start, tail, tail.length));
}

const folded = (start: LoadedChannel, tail: ChannelEvent[], read: number): LoadedChannel => ({
  ...start,
  state: foldChannel(start.state, tail),
  read,
  unsnapshotted: start.unsnapshotted + weightOf(tail),
});

/** Brings a loaded state up to date after losing an append race; `tail` is what it missed. */
export async function catchUp(store: EventStore, loaded: LoadedChannel, channelId: string, states = channelStates(store)): Promise<LoadedChannel & { tail: ChannelEvent[] }> {
  const tail = (await store.read(channelStream(channelId), loaded.state.version)) as ChannelEvent[];
  return { ...remember(states, channelId, { ...loaded, state: foldChannel(loaded.state, tail), read: loaded.read > 0 ? loaded.read + tail.length : 0, unsnapshotted: loaded.unsnapshotted + weightOf(tail) }), tail };
}

/**
 * After `event` was appended to the stream `loaded` was read from: the state with it is
 * kept, and stored as the stream's snapshot when its load read `snapshotAfterReading`
 * events or more past the stored snapshot, when the events folded since the snapshot this
 * container knows of weigh `snapshotAfterBytes`, or at every `snapshotEvery`th seq (best
 * effort). Only from the
 * state right before the event: found at a later seq (appended by an abandoned run of the
 * same request), it follows events that `loaded` has not folded.
 */
export async function recordAppended(store: EventStore, loaded: LoadedChannel, event: ChannelEvent, states = channelStates(store)): Promise<void> {
  if (event.seq !== loaded.state.version + 1) return;
  const state = evolveChannel(loaded.state, event);
  const unsnapshotted = loaded.unsnapshotted + weightOf([event]);
  const due = loaded.read >= snapshotAfterReading || unsnapshotted >= snapshotAfterBytes || event.seq % snapshotEvery === 0;
  remember(states, event.channelId, { ...loaded, state, read: 0, unsnapshotted: due ? 0 : unsnapshotted });
  if (due) await writeSnapshot(store, event.stream, state).catch(() => undefined);
}

function remember(states: ChannelStates, channelId: string, loaded: LoadedChannel): LoadedChannel {
  const kept = states.get(channelId);
  if (!kept || kept.state.version < loaded.state.version) states.set(channelId, loaded);
  return loaded;
}

/** The members are kept apart (EventStore.writeSnapshot): written again only when `membersSeq` moved. */
function writeSnapshot(store: EventStore, stream: string, state: ChannelState): Promise<void> {
  const { members, ...rest } = state;
  return store.writeSnapshot(stream, state.version, rest, { version: state.membersSeq, items: members });
}

/**
 * Snapshots written before the members were kept apart hold them inside, and no
 * `membersSeq`: their version stands for it (the members as of then, unchanged since).
 * Snapshots written before DMs have no `kind`: they are channels'.
 */
async function readSnapshot(store: EventStore, stream: string): Promise<LoadedChannel | undefined> {
  const stored = await store.readSnapshot<Partial<ChannelState>>(stream);
  if (!stored) return undefined;
  const state = { kind: "channel" as const, ...stored.state, members: stored.set?.items ?? stored.state.members, membersSeq: stored.state.membersSeq ?? stored.version };
  return isCurrentState(state) && Array.isArray(state.members) ? { state, snapshotVersion: stored.version, read: 0, unsnapshotted: 0 } : undefined;
}
