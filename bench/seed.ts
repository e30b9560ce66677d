/**
 * Grows a channel's history fast: message events appended straight to the event store
 * (BatchWriteItem, not counted), exactly as the store would have stored them (gapless
 * seq, positions; with the table's stream off: they count as published), plus the store's
 * decide-state snapshot; then both designs' views are brought up to date without counting
 * (ours by their own catch-up runners, the baseline's by its own fold, written once). The
 * messages measured afterwards go through HTTP and the bus like any other.
 */
import { randomUUID } from "node:crypto";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "../functions/adapters/dynamoEventStore";
import { foldChannel as foldState } from "../functions/domain/channel/state";
import { channelStream, type ChannelEvent, type MessageSent, type StoredEvent, type UserJoinedChannel } from "../functions/domain/events";
import { projectionNames, projectionsFor } from "../functions/domain/routes";
import { loadChannel } from "../functions/usecases/loadChannel";
import { project } from "../functions/usecases/project";
import { resources } from "../infra/local/context";
import { baselineKeys, type BaselineChannel, type BaselineDirectory, type BaselineUser } from "./baseline";
import { messageText } from "./clients";
import type { Bench } from "./harness";
import { buckets } from "./meters";

const chunk = 2000;

/** Appends `count` messages by `userId` to the channel; returns the last one. */
export async function seedMessages(bench: Bench, channelId: string, userId: string, count: number, progress?: (done: number) => void): Promise<MessageSent | undefined> {
  if (count <= 0) return undefined;
  const db = documentClient(bench.direct.dynamodb);
  const stream = channelStream(channelId);
  const loaded = await loadChannel(bench.direct.store, channelId);
  let state = loaded.state;
  let last: MessageSent | undefined;
  const baselineMessages: BaselineChannel["messages"] = [];
  for (let done = 0; done < count; ) {
    const n = Math.min(chunk, count - done);
    const events: MessageSent[] = [];
    const timestamp = new Date().toISOString();
    for (let i = 0; i < n; i++) {
      const position = state.messageCount + i;
      events.push({
        type: "message_sent",
        eventId: randomUUID(),
        stream,
        seq: state.version + i + 1,
        timestamp,
        userId,
        channelId,
        messageId: randomUUID(),
        text: messageText(position),
        position,
      });
    }
    await writeEvents(db, events, bench.sandbox.tableStream);
    state = foldState(state, events);
    for (const e of events) baselineMessages.push({ messageId: e.messageId, userId: e.userId, text: e.text, sentAt: e.timestamp });
    last = events[events.length - 1];
    done += n;
    progress?.(done);
  }
  await bench.direct.store.writeSnapshot(stream, state.version, state);
  await catchUpBaseline(bench, channelId, baselineMessages, state.version);
  if (last) await catchUpOurs(bench, [last]);
  return last;
}

export interface SeedMessage {
  userId: string;
  text: string;
  timestamp: string;
  /** A reply: the index, in the same list, of the top-level message it answers. */
  replyTo?: number;
}

/**
 * Appends a channel's messages as the store would have stored them (several authors, their
 * own timestamps; a reply at its root's position, with its `threadId`), then catches up
 * the projections that messages feed. Unlike `seedMessages` it leaves the baseline's
 * documents alone: what reads these messages (the search scenario) reads ours only.
 */
export async function seedConversation(bench: Bench, channelId: string, messages: readonly SeedMessage[]): Promise<MessageSent[]> {
  if (messages.length === 0) return [];
  const stream = channelStream(channelId);
  const { state: loaded } = await loadChannel(bench.direct.store, channelId);
  let state = loaded;
  const all: MessageSent[] = [];
  for (let done = 0; done < messages.length; done += chunk) {
    const events: MessageSent[] = [];
    let topLevel = 0;
    messages.slice(done, done + chunk).forEach((m, i) => {
      const root = m.replyTo === undefined ? undefined : all[m.replyTo];
      if (m.replyTo !== undefined && (!root || root.threadId !== undefined)) throw new Error(`seeded message ${done + i} replies to ${m.replyTo}, not an earlier top-level message`);
      const event: MessageSent = {
        type: "message_sent",
        eventId: randomUUID(),
        stream,
        seq: state.version + events.length + 1,
        timestamp: m.timestamp,
        userId: m.userId,
        channelId,
        messageId: randomUUID(),
        text: m.text,
        position: root ? root.position : state.messageCount + topLevel++,
        ...(root ? { threadId: root.messageId } : {}),
      };
      events.push(event);
      all.push(event);
    });
    await writeEvents(documentClient(bench.direct.dynamodb), events, bench.sandbox.tableStream);
    state = foldState(state, events);
  }
  await bench.direct.store.writeSnapshot(stream, state.version, state);
  const deps = { store: bench.direct.store, views: bench.direct.views };
  const last = all[all.length - 1]!;
  for (const name of projectionsFor("message_sent")) if (name !== "notify") await again(() => project(name, last, deps));
  return all;
}

/**
 * Joins people to a channel the same way (each joins by themself, as the store would have
 * recorded it): the hot channel's members, without a hundred joins' worth of waiting.
 */
export async function seedJoins(bench: Bench, channelId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const { events, next } = await appendJoins(bench, channelId, userIds);
  const views = bench.direct.baselineViews;
  const channel = (await views.get<BaselineChannel>(baselineKeys.channel(channelId)))?.doc;
  const directory = (await views.get<BaselineDirectory>(baselineKeys.channels()))?.doc;
  const entry = directory?.channels[channelId];
  if (!channel || !directory || !entry) throw new Error(`the baseline has no view of channel ${channelId} to seed`);
  channel.members.push(...userIds);
  entry.memberCount += userIds.length;
  entry.lastSeq = next.version;
  await writeDirect(bench, baselineKeys.channel(channelId), channel);
  await writeDirect(bench, baselineKeys.channels(), directory);
  for (const userId of userIds) {
    const user = (await views.get<BaselineUser>(baselineKeys.user(userId)))?.doc ?? { userId, name: "", channels: [] };
    user.channels.push(channelId);
    await writeDirect(bench, baselineKeys.user(userId), user);
  }
  await catchUpOurs(bench, events);
}

/**
 * Members who never sign in, by the thousand (a big channel's): their joins appended
 * straight to the store as `seedJoins` appends them, but only the channel's own views caught
 * up, not each member's user view nor the baseline's documents, which the channel's
 * messages do not touch.
 */
export async function seedMembers(bench: Bench, channelId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const { events } = await appendJoins(bench, channelId, userIds);
  const deps = { store: bench.direct.store, views: bench.direct.views };
  for (const name of ["channel", "directory"] as const) await again(() => project(name, events[events.length - 1]!, deps));
}

/** Appends each one's join to the channel, and the store's snapshot after them. */
async function appendJoins(bench: Bench, channelId: string, userIds: readonly string[]) {
  const stream = channelStream(channelId);
  const { state } = await loadChannel(bench.direct.store, channelId);
  const timestamp = new Date().toISOString();
  const events: UserJoinedChannel[] = userIds.map((userId, i) => ({
    type: "user_joined_channel",
    eventId: randomUUID(),
    stream,
    seq: state.version + i + 1,
    timestamp,
    userId,
    channelId,
    memberId: userId,
  }));
  await writeEvents(documentClient(bench.direct.dynamodb), events, bench.sandbox.tableStream);
  const next = foldState(state, events);
  await bench.direct.store.writeSnapshot(stream, next.version, next);
  return { events, next };
}

/** Written with the table's stream off, as if before it was enabled: the seeded history never goes to the bus (the views are folded from it directly). */
async function writeEvents(db: DynamoDBDocumentClient, events: readonly StoredEvent[], tableStream: Bench["sandbox"]["tableStream"]): Promise<void> {
  const batches: StoredEvent[][] = [];
  for (let i = 0; i < events.length; i += 25) batches.push(events.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      let items: Record<string, unknown>[] = batch.map((e) => ({
        PutRequest: { Item: { pk: e.stream, sk: e.seq, eventId: e.eventId, type: e.type, timestamp: e.timestamp, event: JSON.stringify(e) } },
      }));
      while (items.length > 0) {
        const answer = await db.send(new BatchWriteCommand({ RequestItems: { [resources.eventsTable]: items as never } }));
        items = (answer.UnprocessedItems?.[resources.eventsTable] ?? []) as Record<string, unknown>[];
      }
    }
  };
  await tableStream.unrecorded(() => Promise.all(Array.from({ length: 4 }, worker)));
}

/**
 * Our projections, run by their own runners straight against the servers (not counted):
 * the catch-up runners from the last event; the user projection, which applies each
 * event as a register, with every event.
 */
export async function catchUpOurs(bench: Bench, events: readonly ChannelEvent[]): Promise<void> {
  const deps = { store: bench.direct.store, views: bench.direct.views };
  const last = events[events.length - 1];
  if (!last) return;
  for (const name of projectionNames) {
    if (name === "notify") continue;
    if (name === "user") for (const event of events) await again(() => project(name, event, deps));
    else await again(() => project(name, last, deps));
  }
}

/**
 * Runs a catch-up again if it throws, as the bus would redeliver: once in a full run, a
 * GetObject through the sandbox's S3 answered an empty body for an existing key.
 */
async function again(work: () => Promise<void>, tries = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= tries) throw error;
      process.stderr.write(`[bench] seeding: a catch-up failed (${(error as Error).message}); running it again\n`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function catchUpBaseline(bench: Bench, channelId: string, messages: BaselineChannel["messages"], lastSeq: number): Promise<void> {
  const views = bench.direct.baselineViews;
  const channel = (await views.get<BaselineChannel>(baselineKeys.channel(channelId)))?.doc;
  if (!channel) throw new Error(`the baseline has no view of channel ${channelId} to seed`);
  for (const m of messages) channel.messages.push(m);
  await writeDirect(bench, baselineKeys.channel(channelId), channel);
  const directory = (await views.get<BaselineDirectory>(baselineKeys.channels()))?.doc;
  const entry = directory?.channels[channelId];
  if (directory && entry) {
    entry.lastSeq = lastSeq;
    await writeDirect(bench, baselineKeys.channels(), directory);
  }
}

async function writeDirect(bench: Bench, key: string, doc: unknown): Promise<void> {
  await bench.direct.s3.send(new PutObjectCommand({ Bucket: buckets.baseline, Key: key, Body: JSON.stringify(doc), ContentType: "application/json" }));
}
