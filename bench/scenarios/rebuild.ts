/**
 * Rebuild: `npm run rebuild` (scripts/rebuild.ts) run as an operator would, against the
 * bench's running sandbox, over everything the other scenarios stored. The command finds
 * the sandbox through `<dataDir>/endpoints.json`; the bench points that file at its proxies
 * first, so the rebuild's requests are counted like the functions'. Without the script,
 * the projections' catch-up runners are timed into a fresh view store instead (said so in
 * the report).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { projectionNames } from "../../functions/domain/routes";
import { viewProjections } from "../../functions/usecases/rebuild";
import { projectInto } from "../../functions/usecases/project";
import { scoped } from "../../functions/usecases/generations";
import type { StoredEvent } from "../../functions/domain/events";
import { type Counts, diff, sum } from "../counters";
import type { Bench } from "../harness";
import { note } from "../progress";
import { round } from "../stats";

export interface RebuildResult {
  how: "npm run rebuild" | "catch-up runners into a fresh view store";
  /** Events in the store. */
  events: number;
  /** Every view rebuilt from the store's events: events / seconds of rebuilding. */
  eventsPerSecond: number;
  seconds: number;
  /** Including the command's start (tsx, SDK) and the generation switch. */
  wallSeconds: number;
  projections: { projection: string; events: number; seconds: number; eventsPerSecond: number; failed?: string }[];
  /** Set when a projection's rebuild failed (then eventsPerSecond is 0: the command did not finish). */
  failed?: string;
  s3Puts: number;
  s3Gets: number;
  dynamodbReadUnits: number;
  raw: Counts;
}

const root = path.resolve(__dirname, "../..");

export async function rebuildScenario(bench: Bench, proxies: { dynamodb: string; s3: string; eventbridge: string }): Promise<RebuildResult> {
  const streams = await bench.direct.store.streams();
  const events = streams.reduce((n, s) => n + s.lastSeq, 0);
  const before = bench.counters.snapshot();
  const started = performance.now();
  const script = path.join(root, "scripts", "rebuild.ts");
  let result: Omit<RebuildResult, "raw" | "s3Puts" | "s3Gets" | "dynamodbReadUnits" | "events" | "wallSeconds">;
  if (existsSync(script)) {
    note(`rebuild: npm run rebuild over ${events} stored events`);
    result = await runCommand(bench, proxies, events);
  } else {
    note(`rebuild: no scripts/rebuild.ts; timing the catch-up runners over ${events} stored events`);
    result = await runRunners(bench, streams.map((s) => s.stream), events);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  await bench.idle();
  const counts = diff(bench.counters.snapshot(), before);
  note(result.failed ? `rebuild: failed (${result.failed})` : `rebuild: ${result.eventsPerSecond} events/s (${events} events, every view)`);
  return {
    ...result,
    events,
    wallSeconds: round(wallSeconds, 2),
    s3Puts: sum(counts, "s3|ours|*|*|put|*|n"),
    s3Gets: sum(counts, "s3|ours|*|*|get|*|n"),
    dynamodbReadUnits: sum(counts, "ddb|*|*|*|*|rcu") + sum(counts, "ddb|*|*|*|*|rcuMinimum"),
    raw: counts,
  };
}

/**
 * One `npm run rebuild` (every projection, side by side, as an operator runs it), timed by
 * the command itself: from its first read to its last write, without its start-up. Each
 * projection's row gives its own rate; a failure names the projection and its error.
 */
async function runCommand(bench: Bench, proxies: { dynamodb: string; s3: string; eventbridge: string }, events: number) {
  const file = path.join(bench.sandbox.dataDir, "endpoints.json");
  const original = await readFile(file, "utf8");
  await writeFile(file, JSON.stringify({ ...JSON.parse(original), ...proxies }, null, 2));
  try {
    const { stdout, stderr, code } = await run("npx", ["tsx", path.join(root, "scripts", "rebuild.ts"), "--data-dir", bench.sandbox.dataDir]);
    const projections: RebuildResult["projections"] = [];
    for (const projection of viewProjections) {
      const row = stdout
        .split("\n")
        .map((line) => line.split("|").map((cell) => cell.trim()))
        .find((cells) => cells.length >= 6 && cells[1] === projection && /^\d+$/.test(cells[2] ?? ""));
      const failed = new RegExp(`rebuild failed: .*\\b${projection}: ([^;\\n]*)`).exec(stderr)?.[1];
      if (row) projections.push({ projection, events: Number(row[2]), seconds: Number(row[3]), eventsPerSecond: Number(row[4]) });
      else projections.push({ projection, events: 0, seconds: 0, eventsPerSecond: 0, failed: failed ?? `exited with ${code}` });
    }
    const total = /Rebuilt .* in ([\d.]+) s: (\d+) events\/s/.exec(stdout);
    const failed = projections.filter((p) => p.failed);
    for (const p of failed) note(`rebuild: ${p.projection} failed: ${p.failed}`);
    const seconds = Number(total?.[1] ?? 0);
    return {
      how: "npm run rebuild" as const,
      projections,
      seconds: round(seconds, 2),
      eventsPerSecond: code === 0 && total && failed.length === 0 ? Math.round(events / Math.max(seconds, 0.001)) : 0,
      failed: failed.length === 0 ? (code === 0 ? undefined : `exited with ${code}`) : failed.map((p) => `${p.projection}: ${p.failed}`).join("; "),
    };
  } finally {
    await writeFile(file, original);
  }
}

function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
    let stdout = "";
    let stderr = "";
    let lastNote = 0;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const lines = chunk.toString().split(/[\r\n]+/).filter((l) => l.trim());
      const last = lines[lines.length - 1];
      if (last && /events\/s/.test(last) && Date.now() - lastNote > 3000) {
        lastNote = Date.now();
        note(`rebuild: ${last.trim()}`);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, code }));
  });
}

/** The fallback: each projection's runners over every stream, into an empty generation. */
async function runRunners(bench: Bench, streams: string[], events: number) {
  const projections: RebuildResult["projections"] = [];
  const generation = `bench${Date.now()}`;
  for (const name of projectionNames.filter((p) => p !== "notify")) {
    const started = performance.now();
    const views = scoped(bench.counted.views, name, generation);
    for (const stream of streams) {
      const stored = await bench.counted.store.read(stream, 0);
      const last = stored[stored.length - 1] as StoredEvent | undefined;
      if (!last) continue;
      // Channel and directory catch up from the store; the user projection applies each event.
      if (name === "user") for (const event of stored) await projectInto(name, event, { store: bench.counted.store, views });
      else await projectInto(name, last, { store: bench.counted.store, views });
    }
    const seconds = (performance.now() - started) / 1000;
    projections.push({ projection: name, events, seconds: round(seconds, 2), eventsPerSecond: Math.round(events / seconds) });
  }
  const seconds = projections.reduce((s, p) => s + p.seconds, 0);
  return { how: "catch-up runners into a fresh view store" as const, projections, seconds: round(seconds, 2), eventsPerSecond: Math.round(events / seconds) };
}
