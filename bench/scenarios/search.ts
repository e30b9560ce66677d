/**
 * Search (issue 15): a corpus of chat seeded over many channels (several authors, replies
 * in threads, accented words, links, Chinese and Japanese sentences, two months of
 * timestamps), straight into the store and folded by the projections' own catch-up runners
 * uncounted (seed.ts); then, counted:
 * - live indexing: posters sending into one of the channels at a hot channel's rate over
 *   HTTP (replies among them as in the corpus); S3 PUTs under `search/` per message, and what the functions that wrote there
 *   cost per message; every one of those messages must then be found;
 * - queries: a person who is a member of some of the channels (the rest public or private
 *   to others) asks a mix of word, prefix, phrase and filtered queries over HTTP, one at a
 *   time, each timed; what the queries cost is every request they caused;
 * - the index's size: the bytes under `search/` the corpus added, per message.
 */
import { randomUUID } from "node:crypto";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { Person } from "../../test/support/chatApi";
import { signUp } from "../../test/support/chatApi";
import { resources } from "../../infra/local/context";
import { inBatches, postEvent, signUpMany, sleep, thinkMs } from "../clients";
import type { Config } from "../config";
import { type Counts, diff, sum, values } from "../counters";
import { partCost, perMillion } from "../cost";
import type { Bench } from "../harness";
import { note } from "../progress";
import { prices } from "../prices";
import { corpusText, planted, randomFrom } from "../searchCorpus";
import { allResults, queryMix, type QueryFigure, runQueries } from "../searchQueries";
import { seedConversation, seedJoins, type SeedMessage } from "../seed";
import { round, sig } from "../stats";

export interface SearchResult {
  /** Messages in the searched channels when the queries ran: the seeded corpus and the live ones. */
  messages: number;
  channels: number;
  /** Channels the searcher is a member of; `readableChannels` counts the public ones besides. */
  searcherChannels: number;
  readableChannels: number;
  replies: number;
  seedSeconds: number;
  queryP50Ms: number;
  queryP95Ms: number;
  queries: { requests: number; p99Ms: number; maxMs: number; failed: number; wrongResults: number; failures: string[]; byQuery: QueryFigure[] };
  indexBytesPerMessage: number;
  index: { bytes: number; objects: number };
  /** S3 PUT requests under `search/` (refused ones too) per live message. */
  s3PutsPerMessage: number;
  live: {
    posters: number;
    messages: number;
    replies: number;
    offeredPerSecond: number;
    seconds: number;
    found: number;
    searchCallers: string[];
    /** The PUTs under `search/` by what they wrote (index heads, segments), and how many a condition refused. */
    puts: { indexHeads: number; segments: number; other: number; refused: number };
    /** Store runs that failed (the sandbox's Lambda timeout, most often): a loaded machine's sign, and the clients retried them. */
    storeErrors: number;
  };
  /** What the functions that wrote under `search/` cost per million live messages: their requests, time, S3 and DynamoDB use. */
  costPerMillionMessagesUsd: number;
  indexingCostPerMillionUsd: { lambdaRequests: number; lambdaDuration: number; dynamodb: number; s3: number; requestsOnly: number };
  /** Everything a thousand queries caused: API requests, function requests and time, S3 reads, DynamoDB reads. */
  costPerThousandQueriesUsd: number;
  queryCost: {
    s3GetsPerQuery: number;
    s3ListsPerQuery: number;
    lambdaGbSecondsPerQuery: number;
    dynamodbReadUnitsPerQuery: number;
    perThousandUsd: { apiGateway: number; lambdaRequests: number; lambdaDuration: number; s3: number; dynamodb: number };
  };
}

const authorNames = ["Amelie", "Bjorn", "Chloe", "Dmitri", "Esther", "Farid", "Grace", "Hiroshi"];
const dayMs = 86_400_000;
/** The seeded history spans these days, ending an hour before the run. */
const historyDays = 60;
const replyShare = 0.15;

interface SearchChannel {
  channelId: string;
  name: string;
  private: boolean;
  searcherIn: boolean;
}

export async function searchScenario(bench: Bench, config: Config["search"], people: readonly Person[]): Promise<SearchResult> {
  const api = bench.sandbox.urls.api;
  const [searcher] = await signUpMany(bench.sandbox, "Searcher", 1);
  const authors: Person[] = new Array(authorNames.length);
  await inBatches(authorNames, 4, async (name, i) => (authors[i] = await signUp(bench.sandbox.urls.cognito, bench.sandbox.clientId, name)));
  const owner = people[0];
  const posters = people.slice(1, 1 + config.live.posters);
  if (!searcher || !owner || posters.length < config.live.posters) throw new Error(`the search scenario needs ${config.live.posters + 1} people`);

  note(`search: creating ${config.channels} channels, the searcher in ${config.memberOf}`);
  const channels: SearchChannel[] = [];
  for (let c = 0; c < config.channels; c++) {
    const searcherIn = c < config.memberOf;
    // A quarter of the searcher's channels private, a third of the others': those the searcher may not read.
    const isPrivate = searcherIn ? c % 4 === 3 : c % 3 === 0;
    const name = `search-${String(c).padStart(2, "0")}`;
    const created = await postEvent(api, searcherIn ? searcher : owner, { type: "channel_created", name, topic: `bench ${name}`, private: isPrivate });
    channels.push({ channelId: created.accepted.stream.replace(/^channel-/, ""), name, private: isPrivate, searcherIn });
  }
  await bench.idle();
  const bytesBefore = await indexSize(bench);

  const now = Date.now();
  const seedStarted = performance.now();
  let seeded = 0;
  let replies = 0;
  for (const [c, channel] of channels.entries()) {
    const count = Math.floor(config.messages / channels.length) + (c < config.messages % channels.length ? 1 : 0);
    const messages = corpusOf(count, c, authors, now);
    replies += messages.filter((m) => m.replyTo !== undefined).length;
    await seedConversation(bench, channel.channelId, messages);
    seeded += count;
    if ((c + 1) % 10 === 0 || c === channels.length - 1) note(`search: seeded ${seeded.toLocaleString("en-US")}/${config.messages.toLocaleString("en-US")} messages into ${c + 1} channels`);
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  await bench.idle();

  // Live: posters in the searcher's first channel, as in the hot channel scenario.
  const hot = channels[0]!;
  await seedJoins(bench, hot.channelId, posters.map((p) => p.userId));
  await bench.idle();
  note(`search: ${posters.length} people post ${config.live.messages} messages into ${hot.name}, ${config.live.ratePerSecond}/s`);
  const liveBefore = bench.counters.snapshot();
  const sent = new Set<string>();
  // Replies as in the corpus, each to one of the last top-level messages accepted: a reply is written to the index's head, a top-level message is not.
  const roots: string[] = [];
  let liveReplies = 0;
  const each = Math.ceil(config.live.messages / posters.length);
  const random = randomFrom(7);
  const liveStarted = performance.now();
  await Promise.all(
    posters.map(async (poster, p) => {
      for (let i = 0; i < each && p * each + i < config.live.messages; i++) {
        await sleep(thinkMs((posters.length / config.live.ratePerSecond) * 1000) / (i === 0 ? 2 : 1));
        const messageId = randomUUID();
        const threadId = roots.length > 0 && random() < replyShare ? roots[roots.length - 1 - Math.floor(random() * Math.min(10, roots.length))] : undefined;
        await postEvent(api, poster, { type: "message_sent", channelId: hot.channelId, messageId, text: `${corpusText(random)} ${planted.live}`, ...(threadId ? { threadId } : {}) });
        sent.add(messageId);
        if (threadId) liveReplies++;
        else roots.push(messageId);
      }
    }),
  );
  const liveSeconds = (performance.now() - liveStarted) / 1000;
  await bench.idle();
  const live = diff(bench.counters.snapshot(), liveBefore);
  const liveFound = (await allResults(api, searcher.token, planted.live, Math.ceil(sent.size / 20) + 2)).filter((h) => sent.has(h.messageId)).length;
  note(`search: ${liveFound} of ${sent.size} live messages found`);

  // Besides these, the searcher may read every public channel of the other scenarios: their messages are found too.
  const readable = new Set(channels.filter((c) => !c.private || c.searcherIn).map((c) => c.channelId));
  const unreadable = new Set(channels.filter((c) => !readable.has(c.channelId)).map((c) => c.channelId));
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const inChannel = channels.find((c, i) => i > 0 && c.searcherIn && !c.private) ?? hot;
  const cases = queryMix({ author: { userId: authors[2 % authors.length]!.userId, name: authors[2 % authors.length]!.name }, channel: inChannel, after: day(now - 40 * dayMs), before: day(now - 20 * dayMs) });
  note(`search: ${cases.length} queries, ${config.rounds} times each, by a member of ${config.memberOf} channels`);
  const queryBefore = bench.counters.snapshot();
  const run = await runQueries(api, searcher.token, cases, config.rounds, unreadable);
  await bench.idle();
  const asked = diff(bench.counters.snapshot(), queryBefore);
  const index = await indexSize(bench);
  const messages = seeded + sent.size;

  const searchCallers = values(live, "s3|ours|?|search|*|*|n");
  const indexing = partCost(live, searchCallers, "ours");
  const pm = (usd: number) => sig(perMillion(usd, sent.size), 4);
  const result: SearchResult = {
    messages,
    channels: channels.length,
    searcherChannels: channels.filter((c) => c.searcherIn).length,
    readableChannels: readable.size,
    replies,
    seedSeconds: round(seedSeconds, 2),
    queryP50Ms: run.ms.p50,
    queryP95Ms: run.ms.p95,
    queries: { requests: run.requests, p99Ms: run.ms.p99, maxMs: run.ms.max, failed: run.failed, wrongResults: run.wrongResults, failures: run.failures, byQuery: run.byQuery },
    indexBytesPerMessage: Math.round((index.bytes - bytesBefore.bytes) / messages),
    index: { bytes: index.bytes - bytesBefore.bytes, objects: index.objects - bytesBefore.objects },
    s3PutsPerMessage: round(sum(live, "s3|ours|*|search|put|*|n") / sent.size, 3),
    live: { posters: posters.length, messages: sent.size, replies: liveReplies, offeredPerSecond: config.live.ratePerSecond, seconds: round(liveSeconds, 2), found: liveFound, searchCallers, puts: searchPuts(live), storeErrors: sum(live, "lambda|store|errors") },
    costPerMillionMessagesUsd: pm(indexing.total),
    indexingCostPerMillionUsd: { lambdaRequests: pm(indexing.lambdaRequests), lambdaDuration: pm(indexing.lambdaDuration), dynamodb: pm(indexing.dynamodb), s3: pm(indexing.s3), requestsOnly: pm(indexing.total - indexing.lambdaDuration) },
    ...queryCosts(asked, run.requests),
  };
  note(`search: ${messages.toLocaleString("en-US")} messages; query p50 ${result.queryP50Ms} ms, p95 ${result.queryP95Ms} ms; ${result.s3PutsPerMessage} S3 PUTs per live message; ${result.indexBytesPerMessage} index bytes per message`);
  return result;
}

/** A channel's history: `count` messages by the authors, evenly over the last `historyDays` days, some of them replies to a recent top-level one. */
function corpusOf(count: number, channel: number, authors: readonly Person[], now: number): SeedMessage[] {
  const random = randomFrom(1000 + channel);
  const start = now - historyDays * dayMs;
  const step = (historyDays * dayMs - 3_600_000) / Math.max(1, count);
  const topLevel: number[] = [];
  const messages: SeedMessage[] = [];
  for (let i = 0; i < count; i++) {
    const reply = topLevel.length > 0 && random() < replyShare;
    const replyTo = reply ? topLevel[topLevel.length - 1 - Math.floor(random() * Math.min(10, topLevel.length))] : undefined;
    if (replyTo === undefined) topLevel.push(i);
    messages.push({
      userId: authors[Math.floor(random() * authors.length)]!.userId,
      text: corpusText(random),
      timestamp: new Date(start + (i + random() * 0.5) * step).toISOString(),
      ...(replyTo === undefined ? {} : { replyTo }),
    });
  }
  return messages;
}

/** The objects under `search/` in the views bucket and their bytes, every generation. */
async function indexSize(bench: Bench): Promise<{ bytes: number; objects: number }> {
  let bytes = 0;
  let objects = 0;
  let token: string | undefined;
  do {
    const page = await bench.direct.s3.send(new ListObjectsV2Command({ Bucket: resources.viewsBucket, Prefix: "search/", ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      bytes += o.Size ?? 0;
      objects++;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { bytes, objects };
}

function searchPuts(counts: Counts): SearchResult["live"]["puts"] {
  const puts = { indexHeads: 0, segments: 0, other: 0, refused: 0 };
  for (const [name, n] of Object.entries(counts)) {
    const [kind, , key = "", what] = name.split("|");
    if (kind !== "key" || !key.startsWith("search/")) continue;
    if (what === "r") puts.refused += n;
    else if (what !== "w") continue;
    else if (key.includes("/index/")) puts.indexHeads += n;
    else if (key.includes("/segments/")) puts.segments += n;
    else puts.other += n;
  }
  return puts;
}

/** Every request the queries caused, per query and priced per thousand queries. */
function queryCosts(asked: Counts, queries: number): Pick<SearchResult, "costPerThousandQueriesUsd" | "queryCost"> {
  const per = (n: number) => (queries > 0 ? n / queries : 0);
  const gets = sum(asked, "s3|*|*|*|get,head|*|n");
  const lists = sum(asked, "s3|*|*|*|list,put,other|*|n");
  const gbs = sum(asked, "lambda|*|gbs");
  const readUnits = sum(asked, "ddb|*|*|*|*|rcu") + sum(asked, "ddb|*|*|*|*|rcuMinimum");
  const usd = {
    apiGateway: (queries / 1e6) * prices.apiGateway.httpPerMillion,
    lambdaRequests: (sum(asked, "lambda|*|n") / 1e6) * prices.lambda.perMillionRequests,
    lambdaDuration: gbs * prices.lambda.perGbSecond,
    s3: (gets / 1000) * prices.s3.tier2PerThousand + (lists / 1000) * prices.s3.tier1PerThousand,
    dynamodb: (readUnits / 1e6) * prices.dynamodb.perMillionReadUnits,
  };
  const thousand = (v: number) => sig(per(v) * 1000, 4);
  return {
    costPerThousandQueriesUsd: thousand(Object.values(usd).reduce((a, b) => a + b, 0)),
    queryCost: {
      s3GetsPerQuery: round(per(gets), 2),
      s3ListsPerQuery: round(per(lists), 2),
      lambdaGbSecondsPerQuery: sig(per(gbs), 3),
      dynamodbReadUnitsPerQuery: round(per(readUnits), 2),
      perThousandUsd: { apiGateway: thousand(usd.apiGateway), lambdaRequests: thousand(usd.lambdaRequests), lambdaDuration: thousand(usd.lambdaDuration), s3: thousand(usd.s3), dynamodb: thousand(usd.dynamodb) },
    },
  };
}
