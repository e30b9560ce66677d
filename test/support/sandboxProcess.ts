/**
 * `npm start`'s real entry point (infra/local/main.ts, run as `npm start` runs it) in a
 * child process on free ports: for tests of what only a whole process shows (signals,
 * exit codes, a second start on the same data dir).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const repoRoot = path.resolve(__dirname, "../..");

export interface SandboxProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves when it has exited, with its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/**
 * Spawns `npm start -- --port 0 --cognito-port 0 --data-dir <dataDir>`: the start script's
 * own command line (read from package.json, so the test runs what a person runs), without
 * npm in between, so signals reach main.ts as Ctrl-C's do.
 */
export function spawnSandbox(dataDir: string, extraArgs: string[] = []): SandboxProcess {
  const [command, ...startArgs] = startScript().split(/\s+/);
  if (command !== "node") throw new Error(`npm start should run main.ts in one node process, not through ${command}`);
  const args = [...startArgs, "--port", "0", "--cognito-port", "0", "--data-dir", dataDir, ...extraArgs];
  // A process group of its own, so a clean-up ends anything it started.
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Waits for the sandbox to say it runs, and gives its web origin (on 127.0.0.1). */
export async function webUrlOf(sandbox: SandboxProcess, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void sandbox.exited.then((code) => (exitCode = code));
  for (;;) {
    const found = /web \+ API\s+http:\/\/localhost:(\d+)/.exec(sandbox.output());
    if (found) return `http://127.0.0.1:${found[1]}`;
    if (exitCode !== undefined) throw new Error(`the sandbox exited (${exitCode}) before it ran:\n${sandbox.output()}`);
    if (Date.now() > deadline) throw new Error(`the sandbox did not start within ${timeoutMs} ms:\n${sandbox.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves with the exit code, or with "still running" if it has not exited within `ms`. */
export function exitWithin(sandbox: SandboxProcess, ms: number): Promise<number | null | "still running"> {
  return Promise.race([sandbox.exited, new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), ms))]);
}

/** Ends it and the process it runs main.ts in, for good (a test's clean-up). */
export async function killSandbox(sandbox: SandboxProcess | undefined): Promise<void> {
  const pid = sandbox?.child.pid;
  if (!sandbox || pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
  await sandbox.exited;
}

function startScript(): string {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: { start: string } };
  return manifest.scripts.start;
}
