/** A search in the browser (CONTRACT §12): pages appended by "Load more", answers overtaken by a newer query dropped, a refusal's message kept. */
import { expect } from "chai";
import { ApiError, type SearchAnswer, type SearchResult } from "../../web/src/api/apiError";
import { SearchSession } from "../../web/src/state/search";
import { FakeApi } from "../support/browserFakes";

const result = (n: number): SearchResult => ({ channelId: "c1", messageId: `m${n}`, seq: n, userId: "u1", text: `deploy ${n}`, sentAt: new Date(Date.UTC(2026, 10, 30, 12, n)).toISOString() });

/** Answers held until the test releases them, in any order. */
function heldAnswers(api: FakeApi) {
  const held: { query: string; cursor?: string; answer(a: SearchAnswer | Error): void }[] = [];
  api.onSearch = (query, cursor) =>
    new Promise<SearchAnswer>((resolve, reject) => held.push({ query, ...(cursor ? { cursor } : {}), answer: (a) => (a instanceof Error ? reject(a) : resolve(a)) }));
  return held;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("web search session", () => {
  it("runs a query, then appends the next page with its cursor until none remains", async () => {
    const api = new FakeApi();
    api.onSearch = (query, cursor) => (cursor ? { query, results: [result(1)] } : { query, results: [result(3), result(2)], cursor: "p2" });
    const search = new SearchSession({ api });
    search.run("deploy");
    expect(search.getState().status).to.equal("searching");
    await settle();
    expect(search.getState()).to.include({ status: "done", cursor: "p2" });
    search.more();
    expect(search.getState().status).to.equal("more");
    await settle();
    expect(search.getState().results.map((r) => r.messageId)).to.deep.equal(["m3", "m2", "m1"]);
    expect(search.getState().cursor).to.equal(undefined);
    expect(api.searches).to.deep.equal([{ query: "deploy" }, { query: "deploy", cursor: "p2" }]);
  });

  it("shows the results held when the same query is shown again, and asks again when it is run again", async () => {
    const api = new FakeApi();
    api.onSearch = (query) => ({ query, results: [result(1)] });
    const search = new SearchSession({ api });
    search.run("deploy");
    await settle();
    search.show("deploy");
    expect(api.searches).to.have.length(1);
    search.run("deploy");
    search.show("other");
    await settle();
    expect(api.searches.map((s) => s.query)).to.deep.equal(["deploy", "deploy", "other"]);
  });

  it("drops the answer to a query overtaken by a newer one", async () => {
    const api = new FakeApi();
    const held = heldAnswers(api);
    const search = new SearchSession({ api });
    search.run("old");
    search.run("new");
    held[1]!.answer({ query: "new", results: [result(2)] });
    held[0]!.answer({ query: "old", results: [result(1)] });
    await settle();
    expect(search.getState()).to.include({ query: "new", status: "done" });
    expect(search.getState().results.map((r) => r.messageId)).to.deep.equal(["m2"]);
  });

  it("keeps the server's message when it refuses the query, and tells it apart from an outage", async () => {
    const api = new FakeApi();
    api.onSearch = () => {
      throw new ApiError(400, "invalid_query", "before: needs a date as YYYY-MM-DD.");
    };
    const search = new SearchSession({ api });
    search.run("before:soon");
    await settle();
    expect(search.getState().problem).to.deep.equal({ kind: "invalid", message: "before: needs a date as YYYY-MM-DD." });
    api.onSearch = () => {
      throw new ApiError(0, "network", "Could not reach the server.");
    };
    search.run("deploy");
    await settle();
    expect(search.getState().problem).to.deep.equal({ kind: "unavailable", message: "Could not reach the server." });
  });

  it("reads the page that failed again on retry, keeping the results already shown", async () => {
    const api = new FakeApi();
    api.onSearch = (query) => ({ query, results: [result(2)], cursor: "p2" });
    const search = new SearchSession({ api });
    search.run("deploy");
    await settle();
    api.onSearch = () => {
      throw new ApiError(503, "unavailable", "Try again.");
    };
    search.more();
    await settle();
    expect(search.getState().status).to.equal("failed");
    api.onSearch = (query) => ({ query, results: [result(1)] });
    search.retry();
    await settle();
    expect(search.getState().results.map((r) => r.messageId)).to.deep.equal(["m2", "m1"]);
    expect(api.searches.at(-1)).to.deep.equal({ query: "deploy", cursor: "p2" });
  });
});
