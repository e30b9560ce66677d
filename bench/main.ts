/**
 * `npm run bench [-- --quick] [--out report.json] [--docs-dir docs/bench]`: the benchmark.
 * Starts the sandbox in this process behind counting proxies, runs the scenarios (hot
 * channel, conversations, history depth, throughput, rebuild, big channel, search) with
 * the talk's design fed by the same bus,
 * builds the Lambda bundles, and prints a Markdown report; `--out` writes its JSON, and the
 * chart and the latest report of each mode go to docs/bench/ (`quick.md`, `quick.json`,
 * `history-depth-quick.svg`; `full.*` for a full run). Progress goes to stderr.
 */
import "../infra/local/quietSdkWarning";
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { pageSize } from "../functions/domain/projections/channel";
import { bundleSizes } from "./bundles";
import { historyChart } from "./chart";
import type { CostFigures } from "./figures";
import { configs, type Config } from "./config";
import { signUpMany } from "./clients";
import { startBench } from "./harness";
import { note } from "./progress";
import { markdown, type Report, targetsOf } from "./report";
import { prices } from "./prices";
import { bigChannel } from "./scenarios/bigChannel";
import { reactionsBurst, threadsInHotChannel } from "./scenarios/conversations";
import { hotChannel } from "./scenarios/hotChannel";
import { history } from "./scenarios/history";
import { rebuildScenario } from "./scenarios/rebuild";
import { searchScenario } from "./scenarios/search";
import { awsScale } from "./scale";
import { throughput } from "./scenarios/throughput";

const root = path.resolve(__dirname, "..");

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      tiny: { type: "boolean", default: false },
      out: { type: "string" },
      "docs-dir": { type: "string", default: path.join(root, "docs", "bench") },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: npm run bench -- [--quick] [--out report.json] [--docs-dir docs/bench]");
    process.exit(0);
  }
  const mode: Config["mode"] = values.tiny ? "tiny" : values.quick ? "quick" : "full";
  return { config: configs[mode], out: values.out, docsDir: path.resolve(values["docs-dir"] ?? path.join(root, "docs", "bench")) };
}

const strip = <T extends { raw?: unknown }>(value: T): Omit<T, "raw"> => {
  const { raw: _raw, ...rest } = value;
  return rest;
};

export async function runBench(config: Config): Promise<Report> {
  const started = performance.now();
  note(`${config.mode} run: building the Lambda bundles`);
  const bundles = await bundleSizes();
  note("starting the sandbox behind counting proxies");
  const bench = await startBench();
  try {
    const count = Math.max(config.hot.posters + 1, config.throughput.users, config.bigChannel.online, config.reactions.people, config.threads.posters + 1, config.search.live.posters + 1, 1);
    note(`signing up ${count} people`);
    const people = await signUpMany(bench.sandbox, "Person", count);
    await bench.idle();
    const hot = await hotChannel(bench, config.hot, people);
    const reactions = await reactionsBurst(bench, config.reactions, people);
    const threads = await threadsInHotChannel(bench, config.threads, people);
    const deep = await history(bench, config.history, people);
    const busy = await throughput(bench, config.throughput, people);
    const rebuilt = await rebuildScenario(bench, bench.proxies);
    // After the rebuild, whose figures its 20,000 seeded joins would otherwise weigh on.
    const channels = await bigChannel(bench, config.bigChannel, people);
    // Last: its corpus would weigh on the rebuild's figures, and its channels on nothing else.
    const search = await searchScenario(bench, config.search, people);
    const byScenario = {
      ...Object.fromEntries(deep.points.map((p) => [`history at ${p.depth.toLocaleString("en-US")} messages`, pick(p.costPerMillionMessagesUsd)])),
      "hot channel": pick(hot.costPerMillionMessagesUsd),
      throughput: pick(busy.costPerMillionMessagesUsd),
    };
    // The headline: a message in a channel with 10,000 messages of history, each message on
    // its own, so function durations are the functions' own rather than waits for this
    // machine's one busy core (the hot channel and throughput runs overlap heavily).
    const headline = deep.points.find((p) => p.depth >= 10_000) ?? deep.points[deep.points.length - 1]!;
    const body = {
      hotChannel: strip(hot),
      history: { ...deep, points: deep.points.map(strip) },
      throughput: strip(busy),
      rebuild: strip(rebuilt),
      costPerMillionMessagesUsd: { ...headline.costPerMillionMessagesUsd, scenario: `history at ${headline.depth.toLocaleString("en-US")} messages, each message on its own`, byScenario },
      store: {
        dynamoWriteUnitsPerMessage: headline.storeDynamoWriteUnitsPerMessage,
        scenario: `history at ${headline.depth.toLocaleString("en-US")} messages: a 90-character text with an Idempotency-Key, each message on its own`,
      },
      bundles,
      reactions,
      threads,
      search,
      scale: {
        ...channels,
        aws: awsScale({
          hotChannel: { counts: hot.raw, messages: hot.messages },
          throughput: { counts: busy.raw, messages: busy.messages },
          // The shallowest history: each message alone, and the baseline's whole-document rewrites take the least of this machine's core.
          alone: { counts: (deep.points[0] ?? headline).raw, messages: (deep.points[0] ?? headline).messages },
        }),
      },
    };
    const { targets, ratios } = targetsOf(body);
    return {
      meta: {
        date: new Date().toISOString(),
        mode: config.mode,
        node: process.version,
        cpus: os.cpus().length,
        commit: commit(),
        seconds: Math.round((performance.now() - started) / 1000),
        notes: notes(config),
      },
      ...body,
      ratios,
      targets,
      prices,
    };
  } finally {
    await bench.stop();
  }
}

const pick = (c: CostFigures) => ({ ours: c.ours, baseline: c.baseline, oursWithoutRealtime: c.oursWithoutRealtime, requestsOnly: c.requestsOnly });

function commit(): string {
  try {
    return execFileSync("git", ["describe", "--always", "--dirty"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

function notes(config: Config): string[] {
  return [
    "Everything runs in one Node.js process on this machine: dynalite, s3rver, cognito-local, the EventBridge and API Gateway stand-ins, every function, and the baseline. That one event loop is the bottleneck: functions take far longer than on Lambda (they wait for the CPU), so runs overlap far more than they would on AWS. Lambda durations, lag and throughput are this machine's, not AWS's; request counts and bytes do not depend on speed, except through how often runs overlap.",
    "The baseline is the talk's design, kept in bench/baseline.ts: one JSON document per view (a channel with all its members and messages, the channel directory, the users directory, each user's channels), each rewritten whole by a blind GetObject/PutObject per event, with no condition, no ordering and no paging. It keeps the same information as our views, under its own bucket on the same S3 server, and gets the same events from the same bus rules (as another target of each rule, delivered concurrently with ours; a retry of one target is not a redelivery to the other).",
    "Counted at the edge: the bench's proxies sit in front of DynamoDB, S3 and EventBridge, and the handlers' AWS_ENDPOINT_URL_* point at them; each simulated Lambda invocation tags its requests with its function's name (an AsyncLocalStorage scope and a header the proxies strip). S3: every request by operation and outcome, and the bytes of PUT bodies and GET answers. DynamoDB: dynalite's ConsumedCapacity (the proxy asks for it on every request), plus what dynalite leaves out and DynamoDB bills: writes to the `unpublished` global secondary index, conditional writes that fail, and the minimum read unit of a read that finds nothing. EventBridge: PutEvents entries and their 64 KB chunks. Lambda: invocations and wall time of each handler call, billed per 1 ms at the function's memory size (the baseline's projections at our projection's size).",
    "Cost per million messages = (API Gateway HTTP requests + store function + its DynamoDB use + PutEvents, shared by both designs) + each design's views (its projection functions, their event-store reads, their S3 requests), divided by the messages accepted. Realtime pushes (notify) and the mentions projection are ours only: notify is shown apart; S3 storage, data transfer (free within a region) and CloudWatch are left out. Lambda duration is the wall time of each handler call here; in the hot channel and throughput runs that is mostly waiting for this machine's one busy core, so those scenarios' costs are also given without duration (\"requests only\"), which does not depend on speed. The headline is the history run at 10,000 messages, where each message runs alone.",
    `History depths are reached by appending message events straight to the event store and folding both designs' views from them without counting, then posting ${config.history.messagesPerDepth} messages over HTTP at each depth${config.history.messagesPerDepth === pageSize ? " (one full page of ours, so our page writes are averaged over a page's filling)" : ""}.`,
    "Lost updates: accepted messages (202) missing from the final views once the bus and the baseline are idle, read straight from S3 as the views API reads them.",
    `Big channel (scale.bigChannel, scale.smallChannel): a channel of ${config.bigChannel.members.toLocaleString("en-US")} members and one of ${config.bigChannel.smallMembers}, the same ${config.bigChannel.online} people in both online with real sockets, everyone else's joins appended straight to the store (only the channels' own views caught up, not theirs nor the baseline's); ${config.bigChannel.messages} messages posted into each by one of the online people, one at a time and alternating, each settled before the next. Lost: missing from the views or from any online member's socket. notifyMsPerMessage: the notify function's wall time per message.`,
    `Search: ${config.search.messages.toLocaleString("en-US")} messages appended straight to the store over ${config.search.channels} channels (8 authors, 15% replies, two months of timestamps; accented words, links, Chinese and Japanese sentences) and folded by the projections' own catch-up runners uncounted; the searcher is a member of ${config.search.memberOf} of them, a quarter of those private; a third of the others are private to others. Then counted: ${config.search.live.messages} messages posted over HTTP into one of them by ${config.search.live.posters} people at about ${config.search.live.ratePerSecond}/s (S3 PUTs under search/ and the cost of the functions that made them, per message), and each query of the mix asked ${config.search.rounds} times over HTTP, one at a time (a query's cost is every request the phase caused: API, function requests and time, S3, DynamoDB). indexBytesPerMessage: the bytes under search/ the corpus and the live messages added, divided by them.`,
  ];
}

async function main() {
  const { config, out, docsDir } = options();
  const report = await runBench(config);
  await mkdir(docsDir, { recursive: true });
  const chartFile = path.join(docsDir, `history-depth-${report.meta.mode}.svg`);
  const subtitle = `${report.meta.mode} run, ${report.meta.date.slice(0, 10)}: ${report.history.points[0]?.messages ?? 0} messages measured at each depth`;
  await writeFile(chartFile, historyChart(report.history.points.map((p) => ({ depth: p.depth, ours: p.bytesPerMessage.ours, baseline: p.bytesPerMessage.baseline })), subtitle));
  await writeFile(path.join(docsDir, `${report.meta.mode}.md`), markdown(report, path.basename(chartFile)));
  await writeFile(path.join(docsDir, `${report.meta.mode}.json`), `${JSON.stringify(report, null, 2)}\n`);
  if (out) await writeFile(path.resolve(out), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(markdown(report, path.relative(process.cwd(), chartFile) || chartFile));
  note(`done in ${report.meta.seconds} s${out ? `; JSON in ${out}` : ""}; chart and report in ${path.relative(process.cwd(), docsDir) || docsDir}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
