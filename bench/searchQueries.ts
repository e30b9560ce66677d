/**
 * The search scenario's queries (CONTRACT §12), asked as the web app asks them:
 * `GET {apiUrl}/search?q=…` with the caller's token, one at a time, each timed from the
 * request to the parsed answer. Each result is checked against what its query asked for
 * and against what the caller may read, so a fast wrong answer, or a query that finds
 * nothing, shows in the figures.
 */
import { words } from "../functions/domain/search/words";
import { planted } from "./searchCorpus";
import { type Percentiles, percentiles } from "./stats";

export interface SearchHit {
  channelId: string;
  messageId: string;
  threadId?: string;
  seq: number;
  userId: string;
  text: string;
  sentAt: string;
  editedAt?: string;
}

export interface SearchAnswer {
  status: number;
  ms: number;
  results: SearchHit[];
  cursor?: string;
  body: string;
}

export async function search(api: string, token: string, q: string, cursor?: string): Promise<SearchAnswer> {
  const url = new URL(`${api}/search`);
  url.searchParams.set("q", q);
  if (cursor !== undefined) url.searchParams.set("cursor", cursor);
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.text();
  const answer = response.status === 200 ? (JSON.parse(body) as { results?: SearchHit[]; cursor?: string }) : {};
  const ms = performance.now() - started;
  return { status: response.status, ms, results: answer.results ?? [], ...(answer.cursor === undefined ? {} : { cursor: answer.cursor }), body };
}

export interface QueryCase {
  kind: string;
  q: string;
  /** Also asks for the second page, with the first's cursor, timed on its own. */
  page2?: boolean;
  /** Whether a result is one the query asked for. */
  fits: (hit: SearchHit) => boolean;
}

export interface MixContext {
  author: { userId: string; name: string };
  channel: { channelId: string; name: string };
  /** YYYY-MM-DD, within the seeded history. */
  after: string;
  before: string;
}

const has = (text: string, prefix: string) => words(text).some((w) => w.startsWith(prefix));
const day = (iso: string) => iso.slice(0, 10);

/** Word, prefix, phrase and filtered queries, a Chinese and a Japanese word. */
export function queryMix(c: MixContext): QueryCase[] {
  return [
    { kind: "word", q: planted.word, page2: true, fits: (h) => has(h.text, planted.word) },
    { kind: "word, accent-insensitive", q: "cafe", fits: (h) => has(h.text, "cafe") },
    { kind: "prefix", q: "depl", fits: (h) => has(h.text, "depl") },
    { kind: "phrase", q: `"${planted.phrase}"`, fits: (h) => words(h.text).join(" ").includes(planted.phrase) },
    { kind: "from:", q: `from:${c.author.name} review`, fits: (h) => h.userId === c.author.userId && has(h.text, "review") },
    { kind: "in:", q: `in:${c.channel.name} bug`, fits: (h) => h.channelId === c.channel.channelId && has(h.text, "bug") },
    // Either reading of the bounds (the day itself in or out) passes: only results well outside them are wrong.
    { kind: "after: before:", q: `after:${c.after} before:${c.before} coffee`, fits: (h) => day(h.sentAt) >= c.after && day(h.sentAt) <= c.before && has(h.text, "coffee") },
    { kind: "has:link", q: "has:link release", fits: (h) => /https?:\/\//.test(h.text) && has(h.text, "release") },
    { kind: "is:thread", q: "is:thread thanks", fits: (h) => h.threadId !== undefined && has(h.text, "thanks") },
    { kind: "-word", q: `${planted.word} -${planted.excluded}`, fits: (h) => has(h.text, planted.word) && !words(h.text).includes(planted.excluded) },
    { kind: "Chinese word", q: planted.chinese, fits: (h) => h.text.includes(planted.chinese) },
    { kind: "Japanese word", q: planted.japanese, fits: (h) => h.text.includes(planted.japanese) },
    { kind: "filters only", q: `from:${c.author.name} has:link`, fits: (h) => h.userId === c.author.userId && /https?:\/\//.test(h.text) },
  ];
}

export interface QueryFigure {
  kind: string;
  q: string;
  requests: number;
  /** Results on the first page (at most 20) the first time it was asked, and whether a cursor offered more. */
  results: number;
  more: boolean;
  p50Ms: number;
  /** Answers other than 200. */
  failed: number;
  /** Results that do not fit the query, or come from a channel the caller may not read. */
  wrong: number;
}

export interface QueryRun {
  requests: number;
  ms: Percentiles;
  byQuery: QueryFigure[];
  failed: number;
  wrongResults: number;
  /** The first answers other than 200, to say why. */
  failures: string[];
}

/** Asks every query of the mix `rounds` times, round-robin (so warm-up spreads over the mix). */
/** `unreadable`: channels the caller may not read (any other channel's results are checked against their query only). */
export async function runQueries(api: string, token: string, cases: readonly QueryCase[], rounds: number, unreadable: ReadonlySet<string>): Promise<QueryRun> {
  const all: number[] = [];
  const figures = new Map<string, QueryFigure & { ms: number[] }>();
  const failures: string[] = [];
  const record = (kind: string, q: string, answer: SearchAnswer, fits: QueryCase["fits"]) => {
    const f = figures.get(kind) ?? figures.set(kind, { kind, q, requests: 0, results: answer.results.length, more: answer.cursor !== undefined, p50Ms: 0, failed: 0, wrong: 0, ms: [] }).get(kind)!;
    f.requests++;
    f.ms.push(answer.ms);
    all.push(answer.ms);
    if (answer.status !== 200) {
      f.failed++;
      if (failures.length < 5) failures.push(`${q}: ${answer.status} ${answer.body.slice(0, 200)}`);
    }
    f.wrong += answer.results.filter((h) => unreadable.has(h.channelId) || !fits(h)).length;
  };
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      const first = await search(api, token, c.q);
      record(c.kind, c.q, first, c.fits);
      if (c.page2 && first.cursor !== undefined) record(`${c.kind}, page 2`, c.q, await search(api, token, c.q, first.cursor), c.fits);
    }
  }
  const byQuery = [...figures.values()].map(({ ms, ...f }) => ({ ...f, p50Ms: percentiles(ms).p50 }));
  return {
    requests: all.length,
    ms: percentiles(all),
    byQuery,
    failed: byQuery.reduce((n, f) => n + f.failed, 0),
    wrongResults: byQuery.reduce((n, f) => n + f.wrong, 0),
    failures,
  };
}

/** Every result of a query, page after page (at most `maxPages`). */
export async function allResults(api: string, token: string, q: string, maxPages: number): Promise<SearchHit[]> {
  const found: SearchHit[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await search(api, token, q, cursor);
    if (answer.status !== 200) throw new Error(`search ${q} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    found.push(...answer.results);
    cursor = answer.cursor;
    if (cursor === undefined) break;
  }
  return found;
}
