/**
 * `npm run redrive [-- --stack <name>] [--data-dir .data]`: hands every dead letter back
 * to the projection that failed it, and says how many went through.
 */
import { parseArgs } from "node:util";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { ProjectionName } from "../functions/domain/routes";
import { defaultHandlers } from "../infra/local/handlers";
import { invokeLambda } from "../infra/local/lambdaRuntime";
import { type DeadLetterQueue, type Deliver, redrive } from "./redrive/deadLetters";
import { fileQueue } from "./redrive/fileQueue";
import { sqsQueue } from "./redrive/sqsQueue";
import { progressBar } from "./progress";
import { stackOutputs } from "./stack";
import { resolveTarget } from "./target";

function options() {
  const { values } = parseArgs({ options: { stack: { type: "string" }, "data-dir": { type: "string", default: ".data" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log("usage: npm run redrive -- [--stack <name>] [--data-dir .data]");
    process.exit(0);
  }
  return { stack: values.stack, dataDir: values["data-dir"] ?? ".data" };
}

async function onStack(stack: string): Promise<{ queue: DeadLetterQueue; deliver: Deliver }> {
  const outputs = await stackOutputs(stack);
  const map = (name: string) => (outputs[name] ?? {}) as Record<string, string>;
  const functions = map("projectionFunctionNames");
  const queues = [...Object.entries(map("deadLetterQueueUrls")), ...Object.entries(map("failureQueueUrls"))].map(([projection, url]) => ({ projection, url }));
  const lambda = new LambdaClient({});
  return {
    queue: sqsQueue(queues),
    deliver: async (letter) => {
      const name = functions[letter.projection];
      if (!name) throw new Error(`No function for projection ${letter.projection}.`);
      const answer = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: "Event", Payload: Buffer.from(JSON.stringify(letter.event)) }));
      if (answer.StatusCode !== 202) throw new Error(`Invoke answered ${answer.StatusCode}.`);
    },
  };
}

async function locally(dataDir: string): Promise<{ queue: DeadLetterQueue; deliver: Deliver }> {
  const handlers = defaultHandlers();
  return {
    queue: await fileQueue(dataDir),
    deliver: (letter) => invokeLambda("projection", handlers.projection(letter.projection as ProjectionName), letter.event as never, `projection-${letter.projection}`),
  };
}

async function main() {
  const { stack, dataDir } = options();
  const target = stack ? undefined : await resolveTarget({ dataDir });
  try {
    const { queue, deliver } = stack ? await onStack(stack) : await locally(dataDir);
    console.error(`Re-driving dead letters of ${stack ? `stack ${stack}` : target?.describe}.`);
    const bar = progressBar("redrive", "letters");
    const report = await redrive(queue, deliver, (n) => bar.update(n, n));
    bar.done();
    const per = Object.entries(report.byProjection).map(([p, n]) => `${p} ${n}`).join(", ");
    console.log(`Re-drove ${report.redriven} dead letter(s)${per ? ` (${per})` : ""}; ${report.failed} failed again and wait in their queue.`);
    if (report.failed > 0) process.exitCode = 1;
  } finally {
    await target?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`redrive failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
