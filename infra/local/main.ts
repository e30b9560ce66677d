/**
 * `npm start`: the whole system on this machine. Options: --port <n> (or PORT),
 * --data-dir <dir> (default .data), --cognito-port <n> (default 9229).
 */
import { parseArgs } from "node:util";
import { startSandbox, type Sandbox } from "./index";
import { loopback } from "./listen";

function options() {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "data-dir": { type: "string" },
      "cognito-port": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: npm start -- [--port 3000] [--data-dir .data] [--cognito-port 9229]");
    process.exit(0);
  }
  const port = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  return { port: port(values.port), cognitoPort: port(values["cognito-port"]), dataDir: values["data-dir"] };
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
  const sandbox = await startSandbox({ ...options(), log: (level, message) => console.error(`[sandbox] ${level}: ${message}`) });
  console.log(`Chat sandbox running:\n${table(sandbox)}\nCtrl-C to stop.`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n${signal}: stopping…`);
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

main().catch((error: unknown) => {
  console.error("The sandbox could not start:", error);
  process.exit(1);
});
