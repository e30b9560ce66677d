/**
 * `npm run replay -- --from <ISO> [--to <ISO>] [--projection <name>] [--stack <name>]`:
 * an EventBridge replay from the archive into the projections' replay rules (one
 * projection's, or all of them), waiting with progress on stderr until it ends.
 *
 * Locally it uses the sandbox running on `--data-dir` (default `.data`), or starts one in
 * this process when none runs. With `--stack` it uses real AWS (the default credentials
 * chain) and the stack's outputs `archiveArn`, `eventBusArn` and `replayRuleArns`. The code
 * is the same for both; only the endpoint and the ARNs differ. Ctrl-C cancels the replay.
 * Exit codes: 0 completed, 1 failed or cancelled, 2 bad arguments, 130 cancelled by Ctrl-C.
 */
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { sandboxCredentials } from "../infra/local/env";
import { parseReplayArgs, usage, UsageError } from "./replay/args";
import { localEventBridge } from "./replay/local";
import { realSleep } from "./replay/poll";
import { replayName, runReplay } from "./replay/run";
import { localReplayTarget, stackReplayTarget } from "./replay/target";
import { stackOutputs } from "./stack";

async function main(): Promise<number> {
  let args;
  try {
    args = parseReplayArgs(process.argv.slice(2), new Date());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return 2;
  }
  if (args === "help") {
    console.log(usage);
    return 0;
  }

  const local = args.stack ? undefined : await localEventBridge(args.dataDir);
  const target = args.stack ? stackReplayTarget(args.stack, await stackOutputs(args.stack)) : { ...localReplayTarget(), where: local!.where };
  const client = local
    ? new EventBridgeClient({ endpoint: local.endpoint, region: target.region, credentials: sandboxCredentials })
    : new EventBridgeClient({ region: target.region });

  const interrupted = new AbortController();
  process.on("SIGINT", () => {
    if (interrupted.signal.aborted) process.exit(130); // a second Ctrl-C: leave now
    interrupted.abort();
  });
  // On a terminal the progress line rewrites itself; a message first ends it.
  const tty = process.stderr.isTTY;
  let lineOpen = false;
  try {
    const code = await runReplay({
      client,
      target,
      args,
      name: replayName(args.projection, new Date()),
      now: () => new Date(),
      sleep: realSleep,
      intervalMs: local ? 500 : 5000,
      progress: (line) => {
        process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
        lineOpen = tty;
      },
      say: (line) => {
        process.stderr.write(`${lineOpen ? "\n" : ""}${line}\n`);
        lineOpen = false;
      },
      signal: interrupted.signal,
    });
    const note = await local?.finish();
    if (note) console.error(note);
    return code;
  } catch (error) {
    await local?.finish().catch(() => undefined);
    throw error;
  } finally {
    client.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`replay: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
