/**
 * Lost updates: after the bus has gone quiet, which accepted messages are missing from the
 * final views. Ours are read by the views API's own code (head, then its pages, with the
 * edits of sealed pages merged in); the baseline's from its channel document. Reads go
 * straight to S3 and are not counted.
 */
import type { ChannelHead, ChannelPage } from "../functions/domain/projections/channel";
import { viewKeys } from "../functions/domain/projections/keys";
import { currentViews } from "../functions/usecases/generations";
import { readView } from "../functions/usecases/readView";
import type { ViewStore } from "../functions/ports";
import { baselineKeys, type BaselineChannel } from "./baseline";
import { channelStream } from "../functions/domain/events";
import type { EventStore } from "../functions/ports";

export interface SentMessage {
  channelId: string;
  messageId: string;
  seq: number;
  acceptedAt: number;
}

export interface LossReport {
  accepted: number;
  lost: number;
  /** Ours only: messages stored twice in the event store (two events with one messageId). */
  storedTwice?: number;
  /** Ours only: a message shown twice, or messages not in seq order. */
  duplicated: number;
  misordered: number;
}

export async function oursLosses(views: ViewStore, sent: readonly SentMessage[]): Promise<LossReport> {
  const byChannel = groupBy(sent, (m) => m.channelId);
  let lost = 0;
  let duplicated = 0;
  let misordered = 0;
  for (const [channelId, messages] of byChannel) {
    // A big channel's stored head has no member list (its members are a document apart); its creator is one.
    const stored = (await (await currentViews(views, "channel")).get<ChannelHead>(viewKeys.head(channelId)))?.doc;
    const member = stored?.members?.[0] ?? stored?.createdBy ?? "";
    const head = (await readAs(views, `channels/${channelId}`, member)) as ChannelHead | undefined;
    const shown = new Map<string, number>();
    let previousSeq = 0;
    for (let n = 0; head && n < head.pageCount; n++) {
      const page = (await readAs(views, `channels/${channelId}/pages/${n}`, member)) as ChannelPage | undefined;
      for (const m of page?.messages ?? []) {
        if (!m) continue;
        shown.set(m.messageId, (shown.get(m.messageId) ?? 0) + 1);
        if (m.seq <= previousSeq) misordered++;
        previousSeq = m.seq;
      }
    }
    for (const m of messages) {
      const times = shown.get(m.messageId) ?? 0;
      if (times === 0) lost++;
      if (times > 1) duplicated++;
    }
  }
  return { accepted: sent.length, lost, duplicated, misordered };
}

/** A view as the views API answers it to a member of the channel. */
async function readAs(views: ViewStore, path: string, userId: string): Promise<unknown> {
  const found = await readView(path, userId, views);
  return found.kind === "view" ? JSON.parse(found.body) : undefined;
}

export async function baselineLosses(views: Pick<ViewStore, "get">, sent: readonly SentMessage[]): Promise<LossReport> {
  let lost = 0;
  let duplicated = 0;
  for (const [channelId, messages] of groupBy(sent, (m) => m.channelId)) {
    const doc = (await views.get<BaselineChannel>(baselineKeys.channel(channelId)))?.doc;
    const shown = new Map<string, number>();
    for (const m of doc?.messages ?? []) shown.set(m.messageId, (shown.get(m.messageId) ?? 0) + 1);
    for (const m of messages) {
      const times = shown.get(m.messageId) ?? 0;
      if (times === 0) lost++;
      if (times > 1) duplicated++;
    }
  }
  return { accepted: sent.length, lost, duplicated, misordered: 0 };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k) ?? groups.set(k, []).get(k)!;
    group.push(item);
  }
  return groups;
}

/** Messages the event store holds more than once (two message_sent events with one messageId). */
export async function storedTwice(store: EventStore, sent: readonly SentMessage[]): Promise<number> {
  let twice = 0;
  for (const channelId of new Set(sent.map((m) => m.channelId))) {
    const seen = new Map<string, number>();
    for (const event of await store.read(channelStream(channelId), 0)) {
      if (event.type === "message_sent") seen.set(event.messageId, (seen.get(event.messageId) ?? 0) + 1);
    }
    for (const times of seen.values()) if (times > 1) twice++;
  }
  return twice;
}
