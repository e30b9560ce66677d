/**
 * The benchmark, run at a tiny size: its report has the promised shape, its counters saw
 * traffic, ours loses nothing, and the baseline behaves like the talk's design (each
 * message rewrites its growing channel document). It fails if the counting or the baseline
 * broke.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { functions } from "../../functions/handlers";
import { configs } from "../../bench/config";

const root = path.resolve(__dirname, "../..");

function runTiny(dir: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "bench/main.ts", "--tiny", "--out", path.join(dir, "report.json"), "--docs-dir", path.join(dir, "docs")], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, code }));
  });
}

describe("npm run bench (tiny)", function () {
  // About 35 s alone on two cores (search's 2,000 seeded messages and its queries about 10 of them); a loaded machine needs more.
  this.timeout(180_000);
  let dir: string;
  let report: any;
  let stdout: string;

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), "chat-bench-test-"));
    const run = await runTiny(dir);
    stdout = run.stdout;
    if (run.code !== 0) throw new Error(`the bench exited with ${run.code}:\n${run.stderr.slice(-3000)}`);
    report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8"));
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("writes JSON of the shape the issue asks for", () => {
    const pair = (v: any) => expect(v).to.have.all.keys("ours", "baseline") && expect(v.ours).to.be.a("number") && expect(v.baseline).to.be.a("number");
    const percentiles = (v: any) => expect(v).to.include.keys("p50", "p95", "p99");
    pair(report.hotChannel.lost);
    pair(report.hotChannel.s3PutsPerMessage);
    percentiles(report.hotChannel.lagMs.ours);
    percentiles(report.hotChannel.lagMs.baseline);
    expect(report.history.messages).to.be.a("number").above(0);
    pair(report.history.bytesPerMessage);
    expect(report.throughput.eventsPerSecond).to.be.a("number").above(0);
    expect(report.rebuild.events).to.be.a("number").above(0);
    expect(report.rebuild.eventsPerSecond).to.be.a("number").above(0);
    expect(report.costPerMillionMessagesUsd.ours).to.be.a("number").above(0);
    expect(report.costPerMillionMessagesUsd.baseline).to.be.a("number").above(0);
    expect(report.bundles).to.have.all.keys(...Object.keys(functions));
    for (const bytes of Object.values(report.bundles)) expect(bytes).to.be.a("number").above(0);
    // A short text with a key, each message alone: the event and the two claims; a warm store writes no snapshot.
    expect(report.store.dynamoWriteUnitsPerMessage).to.equal(3);
    expect(report.targets).to.have.length(14);
    // Issue 14: a reactions burst and threads in a hot channel, under these names.
    expect(report.reactions).to.include.keys("people", "reactions", "s3PutsPerReaction", "lost", "lagMs");
    expect(report.reactions.reactions).to.equal(report.reactions.people);
    expect(report.reactions.lost).to.equal(0);
    expect(report.reactions.s3PutsPerReaction).to.be.a("number").above(0);
    percentiles(report.reactions.lagMs);
    expect(report.threads).to.include.keys("replies", "s3PutsPerReply", "lost", "wrongSummaries", "lagMs");
    expect(report.threads.replies).to.be.above(0);
    expect([report.threads.lost, report.threads.wrongSummaries]).to.deep.equal([0, 0]);
    expect(report.threads.s3PutsPerReply).to.be.a("number").above(0);
    percentiles(report.threads.lagMs);
  });

  it("reports search (issue 15): a corpus over many channels, every query of the mix timed over HTTP and finding what it asks for, live indexing, the index's size and cost", () => {
    const s = report.search;
    const tiny = configs.tiny.search;
    expect(s).to.include.keys("messages", "queryP50Ms", "queryP95Ms", "indexBytesPerMessage", "s3PutsPerMessage", "costPerMillionMessagesUsd", "costPerThousandQueriesUsd");
    expect(s.messages).to.equal(tiny.messages + tiny.live.messages);
    expect([s.channels, s.searcherChannels]).to.deep.equal([tiny.channels, tiny.memberOf]);
    expect(s.readableChannels, "some channels are private to others").to.be.below(tiny.channels);
    expect(s.replies).to.be.above(0);
    const kinds = s.queries.byQuery.map((q: { kind: string }) => q.kind);
    expect(kinds).to.include.members(["word", "word, accent-insensitive", "prefix", "phrase", "from:", "in:", "after: before:", "has:link", "is:thread", "-word", "Chinese word", "Japanese word", "word, page 2"]);
    for (const q of s.queries.byQuery) {
      expect(q.results, `${q.kind}: ${q.q}`).to.be.above(0);
      expect(q.requests, q.kind).to.equal(tiny.rounds);
    }
    expect(s.queries.requests).to.equal(tiny.rounds * kinds.length);
    expect([s.queries.failed, s.queries.wrongResults], s.queries.failures.join("\n")).to.deep.equal([0, 0]);
    expect(s.queryP50Ms).to.be.a("number").above(0);
    expect(s.queryP95Ms).to.be.at.least(s.queryP50Ms);
    expect(s.live.found, "every live message found").to.equal(tiny.live.messages);
    expect(s.s3PutsPerMessage).to.be.a("number").at.least(0);
    const { indexHeads, segments, other } = s.live.puts;
    expect(indexHeads + segments + other, "the PUTs by kind add up to the PUTs per message").to.be.closeTo(s.s3PutsPerMessage * s.live.messages, 0.5);
    expect(s.indexBytesPerMessage).to.be.a("number").above(0);
    expect(s.index.objects).to.be.above(0);
    expect(s.costPerMillionMessagesUsd).to.be.a("number").at.least(0);
    expect(s.costPerThousandQueriesUsd).to.be.a("number").above(0);
    expect(s.queryCost.lambdaGbSecondsPerQuery, "the queries ran a function").to.be.above(0);
    expect(report.targets.filter((t: { target: string }) => t.target.startsWith("search:"))).to.have.length(2);
    expect(stdout).to.include("## Search");
  });

  it("counts writes per key and derives what the design carries on AWS under scale.aws", () => {
    const aws = report.scale.aws;
    expect(aws).to.include.keys("systemMessagesPerSecond", "limitingKey", "keys", "channelMessagesPerSecond", "quotaMessagesPerSecond", "limitingQuota");
    if (aws.systemMessagesPerSecond !== null) expect(aws.systemMessagesPerSecond).to.be.a("number").above(0) && expect(aws.limitingKey).to.be.a("string");
    expect(aws.channelMessagesPerSecond).to.be.a("number").above(0);
    expect(aws.quotaMessagesPerSecond).to.be.a("number").above(0);
    expect(aws.limitingQuota).to.be.a("string");
    // Every message appends an event under its channel's stream key: at least one write unit per message of that channel.
    const stream = aws.keys.find((k: any) => k.key === "channel-<channelId>");
    expect(stream, JSON.stringify(aws.keys.map((k: any) => k.key))).to.not.equal(undefined);
    expect(stream.shared).to.equal(false);
    expect(stream.writesPerMessage.hotChannel).to.be.at.least(1);
    expect(stream.systemMessagesPerSecond).to.equal(null);
    expect(stdout).to.include("## Scale on AWS");
  });

  it("counted traffic at every edge: S3 both designs, DynamoDB units, PutEvents entries, invocations", () => {
    const hot = report.hotChannel;
    const c = hot.counters;
    expect(hot.messages).to.be.above(0);
    expect(c.s3.ours.puts).to.be.above(0);
    expect(c.s3.ours.putBytes).to.be.above(0);
    expect(c.s3.ours.gets).to.be.above(0);
    expect(c.s3.baseline.puts).to.be.at.least(hot.messages);
    expect(c.s3.baseline.getBytes).to.be.above(0);
    expect(c.dynamodb.readUnits).to.be.above(0);
    expect(c.dynamodb.writeUnits).to.be.above(0);
    expect(c.dynamodb.writeUnitsIndex, "no secondary index: the table's stream is the outbox").to.equal(0);
    expect(c.lambda.publish.invocations, "the table's stream feeds the publisher").to.be.above(0);
    expect(c.eventbridge.entries).to.be.at.least(hot.messages);
    expect(c.lambda.store.invocations).to.be.at.least(hot.messages);
    expect(c.lambda["projection-channel"].invocations).to.be.at.least(hot.messages);
    expect(c.lambda["baseline-channel"].invocations).to.be.at.least(hot.messages);
    expect(hot.lagMs.ours.count).to.equal(hot.messages);
    expect(report.rebuild.s3Puts).to.be.above(0);
  });

  it("ours loses nothing, and shows nothing twice", () => {
    expect(report.hotChannel.lost.ours).to.equal(0);
    expect(report.hotChannel.losses.ours.duplicated).to.equal(0);
    expect(report.throughput.lost.ours).to.equal(0);
    for (const point of report.history.points) expect(point.lost.ours).to.equal(0);
  });

  it("reports a big channel beside a small one: their sizes, nothing lost from views or sockets, POST p50 and notify time per message", () => {
    const sizes = { bigChannel: configs.tiny.bigChannel.members, smallChannel: configs.tiny.bigChannel.smallMembers };
    for (const [name, members] of Object.entries(sizes)) {
      const channel = report.scale[name];
      expect(channel, name).to.have.all.keys("members", "lost", "postMs", "notifyMsPerMessage");
      expect(channel.members, name).to.equal(members);
      expect(channel.lost, name).to.equal(0);
      expect(channel.postMs).to.have.all.keys("p50");
      expect(channel.postMs.p50, name).to.be.a("number").above(0);
      expect(channel.notifyMsPerMessage, name).to.be.a("number").above(0);
    }
    expect(report.targets.filter((t: { target: string }) => t.target.startsWith("big channel"))).to.have.length(1);
  });

  it("the baseline is the talk's design: whole documents rewritten, growing with the history", () => {
    const [shallow, deep] = report.history.points;
    // One message at a time: nothing lost, and each message rewrites its channel document and the directory.
    for (const point of report.history.points) {
      expect(point.lost.baseline).to.equal(0);
      expect(point.s3PutsPerMessage.baseline).to.equal(2);
    }
    expect(deep.depth).to.be.above(shallow.depth);
    expect(deep.bytesPerMessage.baseline).to.be.above(shallow.bytesPerMessage.baseline * 3);
    expect(deep.bytesPerMessage.baseline).to.be.above(deep.bytesPerMessage.ours);
  });

  it("prints the Markdown report and draws the chart", () => {
    expect(stdout).to.match(/^# Benchmark/);
    expect(stdout).to.include("## Targets");
    const svg = readFileSync(path.join(dir, "docs", "history-depth-tiny.svg"), "utf8");
    expect(svg).to.match(/^<svg /);
    expect(existsSync(path.join(dir, "docs", "tiny.md"))).to.equal(true);
  });
});
