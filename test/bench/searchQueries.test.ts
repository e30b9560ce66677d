/**
 * The bench's search client against a stand-in server: it sends the caller's token, follows
 * cursors, and counts what the report's targets rest on: failed answers, results from
 * channels the caller may not read or that do not fit their query, and queries that found
 * nothing. A bench that missed those would pass a fast wrong search.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { allResults, queryMix, runQueries, type QueryCase, type SearchHit } from "../../bench/searchQueries";

const hit = (channelId: string, text: string, extra: Partial<SearchHit> = {}): SearchHit => ({ channelId, messageId: `${channelId}-${text}`, seq: 1, userId: "u1", text, sentAt: "2026-11-01T10:00:00.000Z", ...extra });

describe("bench: the search client and its checks", () => {
  let server: http.Server;
  let api: string;
  const tokens: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      tokens.push(String(req.headers.authorization));
      const q = url.searchParams.get("q");
      const cursor = url.searchParams.get("cursor");
      const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (url.pathname !== "/search") return send(404, {});
      if (q === "boom") return send(500, { error: { code: "internal" } });
      if (q === "deploy" && cursor === null) return send(200, { query: q, results: [hit("readable", "we deploy today"), hit("secret", "deploy the secret")], cursor: "next" });
      if (q === "deploy" && cursor === "next") return send(200, { query: q, results: [hit("readable", "deployed it"), hit("readable", "lunch?")] });
      return send(200, { query: q, results: [] });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("times each request, follows the cursor for page 2, and counts failures, wrong results and empty queries", async () => {
    const cases: QueryCase[] = [
      { kind: "word", q: "deploy", page2: true, fits: (h) => /deploy/.test(h.text) },
      { kind: "broken", q: "boom", fits: () => true },
      { kind: "nothing", q: "zebra", fits: () => true },
    ];
    const run = await runQueries(api, "tok", cases, 2, new Set(["secret"]));
    expect(tokens.every((t) => t === "Bearer tok")).to.equal(true);
    expect(run.requests).to.equal(8);
    expect(run.ms.count).to.equal(8);
    const by = Object.fromEntries(run.byQuery.map((f) => [f.kind, f]));
    expect(Object.keys(by)).to.deep.equal(["word", "word, page 2", "broken", "nothing"]);
    expect([by.word!.results, by.word!.more, by.word!.wrong]).to.deep.equal([2, true, 2]);
    expect([by["word, page 2"]!.results, by["word, page 2"]!.more, by["word, page 2"]!.wrong]).to.deep.equal([2, false, 2]);
    expect([by.broken!.failed, by.nothing!.results]).to.deep.equal([2, 0]);
    expect([run.failed, run.wrongResults]).to.deep.equal([2, 4]);
    expect(run.failures[0]).to.match(/^boom: 500/);
  });

  it("pages through every result", async () => {
    expect((await allResults(api, "tok", "deploy", 5)).map((h) => h.text)).to.deep.equal(["we deploy today", "deploy the secret", "deployed it", "lunch?"]);
    expect((await allResults(api, "tok", "deploy", 1)).length).to.equal(2);
  });

  it("the mix's checks accept what each query asks for and refuse what it does not", () => {
    const cases = Object.fromEntries(queryMix({ author: { userId: "u2", name: "Chloe" }, channel: { channelId: "c1", name: "search-01" }, after: "2026-10-01", before: "2026-10-31" }).map((c) => [c.kind, c]));
    const fits = (kind: string, h: SearchHit) => cases[kind]!.fits(h);
    expect(fits("word, accent-insensitive", hit("c", "Un café?"))).to.equal(true);
    expect(fits("prefix", hit("c", "the Deployment"))).to.equal(true);
    expect(fits("prefix", hit("c", "redeploy"))).to.equal(false);
    expect(fits("phrase", hit("c", "the release candidate is out"))).to.equal(true);
    expect(fits("phrase", hit("c", "candidate release"))).to.equal(false);
    expect(fits("from:", hit("c", "review", { userId: "u2" }))).to.equal(true);
    expect(fits("from:", hit("c", "review", { userId: "u3" }))).to.equal(false);
    expect(fits("in:", hit("c2", "bug"))).to.equal(false);
    expect(fits("after: before:", hit("c", "coffee", { sentAt: "2026-10-15T00:00:00.000Z" }))).to.equal(true);
    expect(fits("after: before:", hit("c", "coffee", { sentAt: "2026-11-15T00:00:00.000Z" }))).to.equal(false);
    expect(fits("has:link", hit("c", "release https://docs.example.com/x"))).to.equal(true);
    expect(fits("has:link", hit("c", "release"))).to.equal(false);
    expect(fits("is:thread", hit("c", "thanks", { threadId: "t" }))).to.equal(true);
    expect(fits("is:thread", hit("c", "thanks"))).to.equal(false);
    expect(fits("-word", hit("c", "deploy on Friday"))).to.equal(false);
    expect(fits("Chinese word", hit("c", "我们明天发布新版本。"))).to.equal(true);
    expect(fits("Japanese word", hit("c", "会議は明日の午後です。"))).to.equal(true);
  });
});
