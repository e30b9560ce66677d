/**
 * `npm start`: the whole system on this machine. Options: --port <n> (or PORT),
 * --data-dir <dir> (default .data), --cognito-port <n> (default 9229),
 * --faults "<name>=<rate>,…" and --fault-seed <n> (infra/local/faults.ts).
 */
import { parseArgs } from "node:util";
import { describeRates, FaultSpecError, faultNames, parseFaults } from "./faults";
import { DataDirBusyError, startSandbox, type Sandbox, type SandboxOptions } from "./index";
import { loopback } from "./listen";
import { ensureWebBuilt } from "../../web/build";

const usage = `usage: npm start -- [--port 3000] [--data-dir .data] [--cognito-port 9229]
                    [--faults "<name>=<rate>,…"] [--fault-seed <n>]
  faults: ${faultNames.join(", ")}; rates from 0 to 1, e.g.
          --faults "api=0.1,append-crash=0.1,publish=0.2,s3-put=0.1,projection=0.1,duplicate=0.2,delay=0.3"`;

export class UsageError extends Error {}

/** A stop that takes longer than this (a server that will not close) ends the process anyway. */
export const stopDeadlineMs = 4000;

export function options(args: string[] = process.argv.slice(2)): SandboxOptions & { help?: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: "string" },
        "data-dir": { type: "string" },
        "cognito-port": { type: "string" },
        faults: { type: "string" },
        "fault-seed": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { help: true };
  const port = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const result: SandboxOptions = { port: port(values.port), cognitoPort: port(values["cognito-port"]), dataDir: values["data-dir"] };
  const seed = values["fault-seed"];
  if (seed !== undefined && values.faults === undefined) throw new UsageError("--fault-seed needs --faults");
  if (values.faults !== undefined) {
    try {
      const rates = parseFaults(values.faults);
      if (seed !== undefined && !/^\d{1,10}$/.test(seed)) throw new FaultSpecError(`--fault-seed must be a whole number, not "${seed}"`);
      result.faults = { rates, seed: seed === undefined ? undefined : Number(seed) >>> 0 };
    } catch (error) {
      if (error instanceof FaultSpecError) throw new UsageError(`--faults: ${error.message}`);
      throw error;
    }
  }
  return result;
}

function table(sandbox: Sandbox): string {
  const web = sandbox.urls.web.replace(loopback, "localhost");
  const rows: [string, string][] = [
    ["web + API", `${web}  (API ${web}/api, discovery ${web}/config.json)`],
    ["Cognito", `${sandbox.urls.cognito}  pool ${sandbox.userPoolId}, client ${sandbox.clientId}`],
    ["DynamoDB", `${sandbox.urls.dynamodb}  table chat-events`],
    ["S3", `${sandbox.urls.s3}  bucket chat-views`],
    ["EventBridge", `${sandbox.urls.eventbridge}  bus chat-bus`],
    ["Lambda", `${sandbox.urls.lambda}  Cognito triggers`],
    ["data", sandbox.dataDir],
  ];
  return rows.map(([name, where]) => `  ${name.padEnd(12)} ${where}`).join("\n");
}

async function main(): Promise<void> {
  let chosen: ReturnType<typeof options>;
  try {
    chosen = options();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`npm start: ${error.message}\n${usage}`);
    process.exit(2);
  }
  if (chosen.help) {
    console.log(usage);
    process.exit(0);
  }
  // The web origin serves web/dist: build it first when it is missing or out of date.
  if (await ensureWebBuilt("warn")) console.error("[sandbox] info: built the web app into web/dist");
  const sandbox = await startSandbox({ ...chosen, log: (level, message) => console.error(`[sandbox] ${level}: ${message}`) });
  console.log(`Chat sandbox running:\n${table(sandbox)}\nCtrl-C to stop.`);
  const faults = sandbox.faults;
  if (faults) console.log(`Injecting faults: ${describeRates(faults.rates())} (seed ${faults.seed}).`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    if (faults) console.log(`Faults injected: ${describeRates(faults.injected())}.`);
    setTimeout(() => {
      console.error(`npm start: still stopping after ${stopDeadlineMs / 1000} s; exiting anyway`);
      process.exit(1);
    }, stopDeadlineMs).unref();
    sandbox.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // What a person can act on is said plainly; anything else comes with its stack.
    if (error instanceof DataDirBusyError) console.error(`npm start: ${error.message}`);
    else if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") console.error(`npm start: ${(error as Error).message}: another program uses that port (--port, --cognito-port)`);
    else console.error("The sandbox could not start:", error);
    process.exit(1);
  });
}
