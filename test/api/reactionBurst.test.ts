/**
 * A popular message collects 50 reactions within a few seconds, through the whole sandbox:
 * coalescing absorbs the burst, so the views cost well under one S3 PUT per reaction
 * (counted at S3's edge, refused conditional PUTs included, as the bench counts them), and
 * every reaction is on the page in the end.
 */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { Counters, diff, sum } from "../../bench/counters";
import { S3Meter } from "../../bench/meters";
import { type RunningProxy, startProxy } from "../../bench/proxy";
import { newTally, postUntilDone } from "../faults/support";
import type { Sandbox } from "../../infra/local";
import { type Person, post, signUp, view } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { cognitoLocalToken } from "../support/sandboxTokens";

const reactors = 50;
const burstMs = 3000;

describe("a burst of reactions to one message, through the sandbox", function () {
  this.timeout(300_000);
  let sandbox: Sandbox;
  let proxy: RunningProxy;
  let restoreEndpoint: string | undefined;
  const counters = new Counters();

  before(async () => {
    sandbox = await startTestSandbox();
    proxy = await startProxy(sandbox.urls.s3, new S3Meter(counters));
    // The handlers run in this process and build their clients, when first called, for the endpoints they find.
    restoreEndpoint = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = proxy.url;
  });
  after(async () => {
    process.env.AWS_ENDPOINT_URL_S3 = restoreEndpoint;
    await proxy?.stop();
    await disposeTestSandbox(sandbox);
  });

  it(`costs well under one S3 PUT per reaction when ${reactors} people react within ${burstMs / 1000} s, and loses none`, async () => {
    const api = sandbox.urls.api;
    const ann: Person = await signUp(sandbox.urls.cognito, sandbox.clientId, "Ann");
    const created = await post(api, ann.token, { type: "channel_created", name: "popular" });
    const channelId = (created.body.stream as string).slice("channel-".length);
    const messageId = randomUUID();
    expect((await post(api, ann.token, { type: "message_sent", channelId, messageId, text: "big news" })).status).to.equal(202);
    // People of the pool (tokens signed with its key): their first call registers them.
    const issuer = `${sandbox.urls.cognito}/${sandbox.userPoolId}`;
    const people = await Promise.all(
      Array.from({ length: reactors }, async (_, i) => ({
        userId: randomUUID(),
        token: await cognitoLocalToken({ issuer, audience: sandbox.clientId, claims: { sub: `reactor-${i}-${randomUUID()}`, name: `Reactor ${i}` } }),
      })),
    );
    for (const person of people) {
      const joined = await post(api, person.token, { type: "user_joined_channel", channelId });
      expect(joined.status).to.equal(202);
    }
    await sandbox.bus.idle();

    const before = counters.snapshot();
    const tally = newTally();
    const answers = await Promise.all(
      people.map(async (person, i) => {
        await new Promise((r) => setTimeout(r, (i * burstMs) / reactors));
        // As the web posts: retried with one Idempotency-Key while the stream is too busy to append (503).
        return postUntilDone(api, person.token, { type: "reaction_added", channelId, messageId, emoji: i % 5 === 0 ? "tada" : "+1" }, tally);
      }),
    );
    expect(answers.map((a) => a.status)).to.deep.equal(people.map(() => 202));
    await sandbox.bus.idle();
    const puts = sum(diff(counters.snapshot(), before), "s3|ours|*|*|put|*|n");

    const page = await view(api, ann.token, `channels/${channelId}/pages/0`);
    const reactions = page.body.messages[0].reactions as { emoji: string; count: number; userIds: string[] }[];
    expect(reactions.map((r) => [r.emoji, r.count])).to.deep.equal([["tada", reactors / 5], ["+1", reactors - reactors / 5]]);
    expect(new Set(reactions.flatMap((r) => r.userIds)).size, "lost none").to.equal(reactors);
    expect(puts, `${puts} S3 PUTs for ${reactors} reactions`).to.be.greaterThan(0);
    expect(puts / reactors, `${puts} S3 PUTs for ${reactors} reactions (answers: ${JSON.stringify(tally.statuses)})`).to.be.at.most(0.25);
    if (process.env.REACTION_BURST) console.log(JSON.stringify({ puts, reactors, statuses: tally.statuses }));
  });
});
