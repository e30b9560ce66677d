/**
 * The per-user rate limit of POST /events (functions/usecases/rateLimit.ts): the contract's
 * burst of 60 and 20/s always pass, more is refused with 429, `Retry-After` and a JSON
 * error. Driven by a fake clock: no sleeps.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { expect } from "chai";
import fc from "fast-check";
import { handler as searchHandler, rateLimiter as searchLimiter } from "../../functions/query/handler";
import { handler, rateLimiter } from "../../functions/store/handler";
import { storeRateLimit, TokenBuckets } from "../../functions/usecases/rateLimit";
import type { Sandbox } from "../../infra/local";
import { post, signUp } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { tableClient, tableSnapshot } from "../faults/support";

const fakeClock = (start = 1_000_000) => {
  const clock = { now: start, tick: (ms: number) => (clock.now += ms), read: () => clock.now };
  return clock;
};

describe("rate limit: token buckets", () => {
  it("lets a burst of 60 through, then refuses with the seconds until a token is back", () => {
    const clock = fakeClock();
    const limiter = new TokenBuckets(storeRateLimit, clock.read);
    for (let i = 0; i < 60; i++) expect(limiter.take("u").allowed, `request ${i + 1}`).to.equal(true);
    expect(limiter.take("u")).to.deep.equal({ allowed: false, retryAfterSeconds: 1 });
    clock.tick(50); // 20/s: one token every 50 ms
    expect(limiter.take("u").allowed).to.equal(true);
    expect(limiter.take("u").allowed).to.equal(false);
  });

  it("lets 20 requests a second through for as long as they come, after a full burst", () => {
    const clock = fakeClock();
    const limiter = new TokenBuckets(storeRateLimit, clock.read);
    for (let i = 0; i < 60; i++) limiter.take("u");
    for (let i = 0; i < 20 * 60; i++) {
      clock.tick(50);
      expect(limiter.take("u").allowed, `sustained request ${i + 1}`).to.equal(true);
    }
  });

  it("keeps users apart", () => {
    const limiter = new TokenBuckets(storeRateLimit, fakeClock().read);
    for (let i = 0; i < 60; i++) limiter.take("a");
    expect(limiter.take("a").allowed).to.equal(false);
    expect(limiter.take("b").allowed).to.equal(true);
  });

  it("lets exactly the burst through at one instant after any idle (3 s, an hour, 30 days): a bucket never fills past it", () => {
    for (const idleMs of [3_000, 3_600_000, 30 * 86_400_000]) {
      const clock = fakeClock();
      const limiter = new TokenBuckets(storeRateLimit, clock.read);
      limiter.take("u");
      clock.tick(idleMs);
      let allowed = 0;
      while (limiter.take("u").allowed && allowed <= 1000) allowed++;
      expect(allowed, `after ${idleMs} ms idle`).to.equal(60);
    }
  });

  /** Gaps between requests: short ones, and now and then a long idle (a minute to three days) followed by a burst. */
  const gaps = fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 400 }).map((gap) => [gap]) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.integer({ min: 60_000, max: 3 * 86_400_000 }), fc.integer({ min: 1, max: 150 }), fc.integer({ min: 0, max: 20 }))
            .map(([idle, count, gap]) => [idle, ...Array<number>(count - 1).fill(gap)]),
        },
      ),
      { minLength: 1, maxLength: 60 },
    )
    .map((runs) => runs.flat().slice(0, 600));

  it("never lets more through in any stretch of time than the burst plus the rate, long idles included (property)", () => {
    fc.assert(
      fc.property(gaps, (gaps) => {
        const clock = fakeClock();
        const limiter = new TokenBuckets(storeRateLimit, clock.read);
        const allowedAt: number[] = [];
        for (const gap of gaps) {
          clock.tick(gap);
          if (limiter.take("u").allowed) allowedAt.push(clock.now);
        }
        for (let i = 0; i < allowedAt.length; i++) {
          for (let j = i; j < allowedAt.length; j++) {
            const seconds = (allowedAt[j]! - allowedAt[i]!) / 1000;
            const bound = 60 + Math.floor(seconds * 20 + 1e-9);
            if (j - i + 1 > bound) expect(j - i + 1, `let through in ${seconds} s`).to.be.at.most(bound); // chai only on failure: it is slow in a loop this hot
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("never refuses a client that keeps to the contract: bursts of up to 60 after the bucket refilled, 20/s otherwise (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.boolean()), { minLength: 1, maxLength: 30 }), (plan) => {
        const clock = fakeClock();
        const limiter = new TokenBuckets(storeRateLimit, clock.read);
        for (const [count, burst] of plan) {
          for (let i = 0; i < count; i++) {
            expect(limiter.take("u").allowed).to.equal(true);
            if (!burst) clock.tick(50);
          }
          clock.tick(3000); // a full bucket again (60 / 20 per second)
        }
      }),
      { numRuns: 200 },
    );
  });

  it("does not take tokens away when the clock steps back", () => {
    const clock = fakeClock();
    const limiter = new TokenBuckets(storeRateLimit, clock.read);
    for (let i = 0; i < 30; i++) limiter.take("u");
    clock.tick(-10_000);
    for (let i = 0; i < 30; i++) expect(limiter.take("u").allowed).to.equal(true);
  });

  it("forgets the least recently used buckets beyond maxKeys, so memory stays bounded", () => {
    const limiter = new TokenBuckets({ ...storeRateLimit, maxKeys: 100 }, fakeClock().read);
    for (let i = 0; i < 1000; i++) limiter.take(`user-${i}`);
    expect(limiter.size).to.equal(100);
  });
});

describe("rate limit: the store handler", () => {
  const original = rateLimiter.clock;
  afterEach(() => {
    rateLimiter.clock = original;
    rateLimiter.reset();
  });

  const request = (sub: string): APIGatewayProxyEventV2WithJWTAuthorizer =>
    ({
      version: "2.0",
      routeKey: "POST /api/events",
      rawPath: "/api/events",
      rawQueryString: "",
      headers: { "content-type": "application/json" },
      // Invalid on purpose: the handler answers 400 without touching AWS, after the limit.
      body: "{",
      isBase64Encoded: false,
      requestContext: { authorizer: { jwt: { claims: { sub }, scopes: null } } },
    }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

  it("answers the 61st request of a burst 429 rate_limited with Retry-After, and the user's next token 50 ms later", async () => {
    const clock = fakeClock();
    rateLimiter.clock = clock.read;
    const answers: APIGatewayProxyStructuredResultV2[] = [];
    for (let i = 0; i < 61; i++) answers.push(await handler(request("limited-user")));
    expect(answers.slice(0, 60).map((a) => a.statusCode)).to.deep.equal(Array(60).fill(400));
    const refused = answers[60]!;
    expect(refused.statusCode).to.equal(429);
    expect(refused.headers).to.include({ "retry-after": "1", "content-type": "application/json; charset=utf-8" });
    const body = JSON.parse(refused.body!);
    expect(body.error).to.include({ code: "rate_limited" });
    expect(body.error.message).to.match(/20 per second.*60/);
    expect(body.error.details).to.deep.equal({ retryAfterSeconds: 1, burst: 60, perSecond: 20 });
    expect((await handler(request("someone-else"))).statusCode).to.equal(400);
    clock.tick(50);
    expect((await handler(request("limited-user"))).statusCode).to.equal(400);
  });
});

describe("rate limit: through the sandbox", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  const original = rateLimiter.clock;

  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    rateLimiter.clock = original;
    await disposeTestSandbox(sandbox);
  });

  it("lets exactly the burst of 60 through at one instant, answers the rest 429 JSON with Retry-After, and stores nothing for them", async () => {
    const person = await signUp(sandbox.urls.cognito, sandbox.clientId, "Hasty");
    // The sandbox runs this very module: stop its clock so the test does not depend on speed.
    const now = Date.now();
    rateLimiter.clock = () => now;
    const before = await tableSnapshot(tableClient(sandbox));
    const answers = await Promise.all(Array.from({ length: 100 }, () => post(sandbox.urls.api, person.token, { type: "channel_created", name: "UPPERCASE is refused" })));
    const refused = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 400)).to.have.length(60);
    expect(refused).to.have.length(40);
    for (const answer of refused) {
      expect(answer.headers.get("retry-after")).to.equal("1");
      expect(answer.headers.get("content-type")).to.match(/^application\/json/);
      expect(answer.body.error.code).to.equal("rate_limited");
    }
    rateLimiter.clock = () => now + 1000; // a second later: 20 more
    const later = await Promise.all(Array.from({ length: 25 }, () => post(sandbox.urls.api, person.token, { type: "channel_created", name: "UPPERCASE is refused" })));
    expect(later.filter((a) => a.status === 400)).to.have.length(20);
    expect(later.filter((a) => a.status === 429)).to.have.length(5);
    expect(await tableSnapshot(tableClient(sandbox))).to.deep.equal(before);
  });
});

describe("rate limit: the search handler (GET /search)", () => {
  const original = searchLimiter.clock;
  afterEach(() => {
    searchLimiter.clock = original;
    searchLimiter.reset();
  });

  // A bad filter: answered 400 after the limit, without touching AWS.
  const query = (sub: string) =>
    ({
      version: "2.0",
      routeKey: "GET /api/search",
      rawPath: "/api/search",
      rawQueryString: "q=before:never",
      queryStringParameters: { q: "before:never" },
      headers: {},
      isBase64Encoded: false,
      requestContext: { authorizer: { jwt: { claims: { sub }, scopes: null } } },
    }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

  it("limits each user's searches as the store limits writes: the 61st of a burst is 429 with Retry-After", async () => {
    const clock = fakeClock();
    searchLimiter.clock = clock.read;
    const answers: APIGatewayProxyStructuredResultV2[] = [];
    for (let i = 0; i < 61; i++) answers.push(await searchHandler(query("curious")));
    expect(answers.slice(0, 60).map((a) => a.statusCode)).to.deep.equal(Array(60).fill(400));
    expect(answers[60]!.statusCode).to.equal(429);
    expect(answers[60]!.headers).to.include({ "retry-after": "1" });
    expect(JSON.parse(answers[60]!.body!).error.code).to.equal("rate_limited");
    expect((await searchHandler(query("someone-else"))).statusCode).to.equal(400);
    clock.tick(50);
    expect((await searchHandler(query("curious"))).statusCode).to.equal(400);
  });
});
