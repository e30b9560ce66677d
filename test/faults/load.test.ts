/**
 * Load with every fault on: 8 clients send 400 messages into 3 channels through the
 * sandbox while the front door drops requests, the store crashes after appending, the bus
 * refuses events, S3 sheds puts, projections throw, and deliveries come twice and late.
 * Clients retry 5xx with the same Idempotency-Key and messageId, as the contract allows.
 * Once the bus is idle and the re-publisher (and, if any letter was dead, the redrive)
 * has run, every view must hold every message exactly once, in the store's order.
 */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { projectionsFor, type ProjectionName } from "../../functions/domain/routes";
import type { Sandbox } from "../../infra/local";
import { defaultHandlers } from "../../infra/local/handlers";
import { invokeLambda } from "../../infra/local/lambdaRuntime";
import { redrive } from "../../scripts/redrive/deadLetters";
import { fileQueue } from "../../scripts/redrive/fileQueue";
import { type Person, signUp } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { channelMessages, newTally, postUntilDone, streamEvents, tableClient, viewUntilDone } from "./support";

const rates = { api: 0.1, "append-crash": 0.1, publish: 0.2, "s3-put": 0.1, projection: 0.1, duplicate: 0.2, delay: 0.3 };
const clients = 8;
const channels = 3;
const messagesPerClient = 50;
const maxAttempts = 8;

interface Sent {
  messageId: string;
  channel: number;
  client: number;
  text: string;
  seq: number;
}

describe("load with every fault on", function () {
  this.timeout(150_000);
  let sandbox: Sandbox;

  before(async () => {
    sandbox = await startTestSandbox({
      faults: { rates, seed: 20_260_101, maxDelayMs: 1000 },
      // EventBridge and Lambda retry for a long while; enough attempts that a letter is dead only when something is really wrong.
      retry: { maxAttempts, baseDelayMs: 20, maxDelayMs: 400 },
    });
  });
  after(() => disposeTestSandbox(sandbox));

  it(`stores and shows ${clients * messagesPerClient} messages from ${clients} clients in ${channels} channels exactly once, in order`, async () => {
    const api = sandbox.urls.api;
    const tally = newTally();
    const started = Date.now();
    const seconds: Record<string, number> = {};
    const phase = (name: string) => (seconds[name] = Math.round((Date.now() - started) / 100) / 10);
    const people: Person[] = [];
    for (let i = 0; i < clients; i++) people.push(await signUp(sandbox.urls.cognito, sandbox.clientId, `Load${i}`));

    // Channels by the first client, joined by the others: through the faults too.
    const channelIds: string[] = [];
    for (let c = 0; c < channels; c++) {
      const created = await postUntilDone(api, people[0]!.token, { type: "channel_created", name: `load-${c}` }, tally);
      expect(created.status, JSON.stringify(created.body)).to.equal(202);
      channelIds.push(created.body.stream.replace(/^channel-/, ""));
    }
    await Promise.all(
      people.slice(1).flatMap((person) =>
        channelIds.map(async (channelId) => {
          const joined = await postUntilDone(api, person.token, { type: "user_joined_channel", channelId }, tally);
          expect(joined.status, JSON.stringify(joined.body)).to.equal(202);
        }),
      ),
    );

    phase("setUp");
    // Each client: its messages round-robin over the channels; one at a time per channel, the channels at once.
    const sent: Sent[] = [];
    await Promise.all(
      people.flatMap((person, client) =>
        channelIds.map(async (channelId, channel) => {
          for (let i = channel; i < messagesPerClient; i += channels) {
            const messageId = randomUUID();
            const text = `client ${client} message ${i}`;
            const answer = await postUntilDone(api, person.token, { type: "message_sent", channelId, messageId, text }, tally);
            expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
            sent.push({ messageId, channel, client, text, seq: answer.body.seq });
          }
        }),
      ),
    );
    expect(sent).to.have.length(clients * messagesPerClient);
    phase("sent");

    // Let everything settle: the bus idle, the table's stream retries what the bus refused,
    // and dead letters, if any, go back to their projection (npm run redrive's code).
    const db = tableClient(sandbox);
    let redriven = 0;
    for (let round = 0; ; round++) {
      expect(round, "rounds of stream retries/redrive").to.be.below(30);
      await sandbox.bus.idle();
      const unpublished = sandbox.tableStream.backlog();
      const dead = Object.values(sandbox.bus.deadLetters()).reduce((a, b) => a + (b ?? 0), 0) - redriven;
      if (unpublished === 0 && dead === 0) break;
      if (unpublished > 0) sandbox.tableStream.retryNow();
      if (dead > 0) {
        const handlers = defaultHandlers();
        const report = await redrive(await fileQueue(sandbox.dataDir), (letter) =>
          invokeLambda("projection", handlers.projection(letter.projection as ProjectionName), letter.event as never, `projection-${letter.projection}`),
        );
        redriven += report.redriven;
      }
    }

    phase("settled");
    // The store: each stream gapless, each message once, at the seq its 202 gave.
    const reader = people[0]!;
    let lost = 0;
    let duplicated = 0;
    let reordered = 0;
    for (let c = 0; c < channels; c++) {
      const channelId = channelIds[c]!;
      const mine = sent.filter((s) => s.channel === c);
      const events = await streamEvents(db, `channel-${channelId}`);
      expect(events.map((e) => e.seq)).to.deep.equal(events.map((_, i) => i + 1));
      const storedMessages = events.filter((e) => e.type === "message_sent");
      expect(storedMessages).to.have.length(mine.length);
      expect(new Set(storedMessages.map((e) => e.eventId)).size).to.equal(mine.length);

      // The views: head and pages.
      const { head, messages, pages } = await channelMessages(api, reader.token, channelId, tally);
      expect(head).to.include({ lastSeq: events.length, messageCount: mine.length });
      const bySeq = new Map(messages.map((m) => [m.seq, m]));
      for (const s of mine) {
        const shown = messages.filter((m) => m.messageId === s.messageId);
        if (shown.length === 0) lost++;
        if (shown.length > 1) duplicated++;
        expect(bySeq.get(s.seq), `message ${s.text} at seq ${s.seq}`).to.include({ messageId: s.messageId, text: s.text, userId: people[s.client]!.userId });
      }
      expect(messages).to.have.length(mine.length);
      const seqs = messages.map((m) => m.seq);
      for (let i = 1; i < seqs.length; i++) if (seqs[i]! <= seqs[i - 1]!) reordered++;
      // Pages hold positions n*pageSize… in order, full except the last.
      pages.forEach((page, n) => expect(page.length, `page ${n}`).to.equal(n < pages.length - 1 ? head.pageSize : mine.length - n * head.pageSize));
      // Each client's messages appear in the order it sent them.
      for (let client = 0; client < clients; client++) {
        const order = messages.filter((m) => m.userId === people[client]!.userId).map((m) => m.text);
        expect(order).to.deep.equal(mine.filter((s) => s.client === client).map((s) => s.text));
      }
    }
    expect({ lost, duplicated, reordered }).to.deep.equal({ lost: 0, duplicated: 0, reordered: 0 });

    // Every channel is in each member's own view; the directory lists the three.
    const me = await viewUntilDone(api, people[clients - 1]!.token, "users/me", tally);
    expect(me.body.channels).to.have.members(channelIds);
    const directory = await viewUntilDone(api, reader.token, "channels", tally);
    expect(directory.body.channels.map((ch: { channelId: string }) => ch.channelId)).to.include.members(channelIds);

    // Every fault struck, and no crashed invocation did anything after its crash.
    const injected = sandbox.faults!.injected();
    for (const [fault, count] of Object.entries(injected)) expect(count, `${fault} injected`).to.be.above(0);
    expect(sandbox.faults!.lateRequests()).to.deep.equal([]);
    const stats = sandbox.bus.stats();
    // Dead letters only after the last attempt: each was tried maxAttempts times.
    expect(stats.deadLettered).to.equal(redriven);

    phase("checked");
    const summary = {
      seconds,
      messages: sent.length,
      requests: tally.requests,
      retriedRequests: tally.retried,
      statuses: tally.statuses,
      injected,
      bus: stats,
      redriven,
      lost,
      duplicated,
      reordered,
      expectedDeliveriesPerMessage: projectionsFor("message_sent").length,
    };
    console.log(`      load summary: ${JSON.stringify(summary)}`);
  });
});
