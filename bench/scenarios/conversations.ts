/**
 * Conversations under load (issue 14): a reactions burst (everyone in a channel reacting to
 * one message within a few seconds, as to an announcement) and threads in a hot channel
 * (posters replying to a handful of top-level messages, at a hot channel's rate). For each:
 * S3 PUT requests per event (refused conditional PUTs too: S3 bills them), lost updates
 * (accepted but missing from the final views, read as the views API reads them), and lag
 * from acceptance to the channel head that commits the event. Memberships are seeded.
 */
import { randomUUID } from "node:crypto";
import type { Person } from "../../test/support/chatApi";
import type { ChannelPage } from "../../functions/domain/projections/channel";
import { readView } from "../../functions/usecases/readView";
import type { ThreadHead, ThreadPage } from "../../functions/domain/projections/thread";
import { createChannel, postEvent, sleep } from "../clients";
import type { Config } from "../config";
import { diff } from "../counters";
import { designFigures } from "../figures";
import type { Bench } from "../harness";
import { LagProbe } from "../lag";
import { note } from "../progress";
import { seedJoins } from "../seed";
import { type Percentiles, percentiles, round } from "../stats";

export interface ReactionsResult {
  people: number;
  reactions: number;
  seconds: number;
  s3PutsPerReaction: number;
  lost: number;
  lagMs: Percentiles;
}

export interface ThreadsResult {
  posters: number;
  threads: number;
  replies: number;
  offeredPerSecond: number;
  s3PutsPerReply: number;
  lost: number;
  /** Roots whose summary on the channel's page does not count every reply. */
  wrongSummaries: number;
  lagMs: Percentiles;
}

interface Accepted {
  seq: number;
  acceptedAt: number;
}

export async function reactionsBurst(bench: Bench, config: Config["reactions"], people: readonly Person[]): Promise<ReactionsResult> {
  const api = bench.sandbox.urls.api;
  const [owner, ...others] = people.slice(0, config.people);
  const channelId = await setUp(bench, "reactions", owner!, others);
  const messageId = randomUUID();
  await postEvent(api, owner!, { type: "message_sent", channelId, messageId, text: "We shipped it!" });
  await bench.idle();

  const probe = new LagProbe(bench.s3Meter, [channelId]);
  const before = bench.counters.snapshot();
  const accepted: Accepted[] = [];
  const started = performance.now();
  note(`reactions: ${config.people} people react to one message within ${config.seconds} s`);
  await Promise.all(
    [owner!, ...others].map(async (person) => {
      await sleep(Math.random() * config.seconds * 1000);
      const posted = await postEvent(api, person, { type: "reaction_added", channelId, messageId, emoji: "tada" });
      accepted.push({ seq: posted.accepted.seq, acceptedAt: Date.parse(posted.accepted.timestamp) });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await bench.idle();
  probe.stop();
  const counts = diff(bench.counters.snapshot(), before);
  const page = (await readAs(bench, `channels/${channelId}/pages/0`, owner!.userId)) as ChannelPage | undefined;
  const shown = page?.messages.find((m) => m?.messageId === messageId)?.reactions?.find((r) => r.emoji === "tada")?.userIds ?? [];
  const lost = config.people - new Set(shown).size;
  const lag = accepted.map((a) => probe.ours(channelId, a.seq, a.acceptedAt)).filter((v): v is number => v !== undefined);
  const result = {
    people: config.people,
    reactions: accepted.length,
    seconds: round(seconds, 2),
    s3PutsPerReaction: round(designFigures(counts, "ours").s3Puts / accepted.length, 3),
    lost,
    lagMs: percentiles(lag),
  };
  note(`reactions: ${result.reactions} in ${result.seconds} s, ${result.s3PutsPerReaction} S3 PUTs each, lost ${lost}, lag p50 ${result.lagMs.p50} ms`);
  return result;
}

export async function threadsInHotChannel(bench: Bench, config: Config["threads"], people: readonly Person[]): Promise<ThreadsResult> {
  const api = bench.sandbox.urls.api;
  const [owner, ...posters] = people.slice(0, config.posters + 1);
  const channelId = await setUp(bench, "threads", owner!, posters);
  const roots: string[] = [];
  for (let i = 0; i < config.threads; i++) {
    const messageId = randomUUID();
    await postEvent(api, owner!, { type: "message_sent", channelId, messageId, text: `Topic ${i + 1}` });
    roots.push(messageId);
  }
  await bench.idle();

  const probe = new LagProbe(bench.s3Meter, [channelId]);
  const before = bench.counters.snapshot();
  const sent: (Accepted & { messageId: string; threadId: string })[] = [];
  const each = Math.ceil(config.replies / posters.length);
  const pauseMs = (posters.length / config.ratePerSecond) * 1000;
  note(`threads: ${posters.length} people reply ${config.replies} times to ${config.threads} messages, ${config.ratePerSecond}/s`);
  await Promise.all(
    posters.map(async (poster, p) => {
      for (let i = 0; i < each && p * each + i < config.replies; i++) {
        await sleep(Math.random() * 2 * pauseMs);
        const messageId = randomUUID();
        const threadId = roots[Math.floor(Math.random() * roots.length)]!;
        const posted = await postEvent(api, poster, { type: "message_sent", channelId, messageId, threadId, text: `reply ${p}.${i}` });
        sent.push({ messageId, threadId, seq: posted.accepted.seq, acceptedAt: Date.parse(posted.accepted.timestamp) });
      }
    }),
  );
  await bench.idle();
  probe.stop();
  const counts = diff(bench.counters.snapshot(), before);

  let lost = 0;
  let wrongSummaries = 0;
  const page = (await readAs(bench, `channels/${channelId}/pages/0`, owner!.userId)) as ChannelPage | undefined;
  for (const threadId of roots) {
    const expected = sent.filter((s) => s.threadId === threadId);
    const shown = new Set<string>();
    const head = (await readAs(bench, `channels/${channelId}/threads/${threadId}`, owner!.userId)) as ThreadHead | undefined;
    for (let n = 0; head && n < head.pageCount; n++) {
      const replies = (await readAs(bench, `channels/${channelId}/threads/${threadId}/pages/${n}`, owner!.userId)) as ThreadPage | undefined;
      for (const m of replies?.messages ?? []) shown.add(m.messageId);
    }
    lost += expected.filter((s) => !shown.has(s.messageId)).length;
    const root = page?.messages.find((m) => m?.messageId === threadId);
    if ((root?.replyCount ?? 0) !== expected.length) wrongSummaries++;
  }
  const lag = sent.map((s) => probe.ours(channelId, s.seq, s.acceptedAt)).filter((v): v is number => v !== undefined);
  const result = {
    posters: posters.length,
    threads: roots.length,
    replies: sent.length,
    offeredPerSecond: config.ratePerSecond,
    s3PutsPerReply: round(designFigures(counts, "ours").s3Puts / sent.length, 3),
    lost,
    wrongSummaries,
    lagMs: percentiles(lag),
  };
  note(`threads: ${result.replies} replies, ${result.s3PutsPerReply} S3 PUTs each, lost ${lost}, lag p50 ${result.lagMs.p50} ms`);
  return result;
}

async function setUp(bench: Bench, name: string, owner: Person, members: readonly Person[]): Promise<string> {
  const channelId = await createChannel(bench.sandbox.urls.api, owner, `${name}-${randomUUID().slice(0, 8)}`);
  await bench.idle();
  await seedJoins(bench, channelId, members.map((p) => p.userId));
  await bench.idle();
  return channelId;
}

/** A view as the views API answers it to a member (read straight from S3, not counted). */
async function readAs(bench: Bench, path: string, userId: string): Promise<unknown> {
  const found = await readView(path, userId, bench.direct.views);
  return found.kind === "view" ? JSON.parse(found.body) : undefined;
}
