/**
 * Where an operator command runs: a deployed stack (`--stack <name>`, from its outputs), the
 * sandbox running on this machine (its `<dataDir>/endpoints.json`), or, when none runs, a
 * sandbox started in this process over the same data. It sets the environment the
 * adapters read (the same settings as the functions), so the command's code is one.
 */
import path from "node:path";
import * as endpoints from "../infra/local/endpoints";
import { applyEnv, handlerEnv } from "../infra/local/env";
import { resources } from "../infra/local/context";
import { stackOutputs } from "./stack";

export interface Target {
  describe: string;
  stop(): Promise<void>;
}

export async function resolveTarget(options: { stack?: string; dataDir: string }): Promise<Target> {
  if (options.stack) {
    const outputs = await stackOutputs(options.stack);
    const need = (name: string) => {
      const value = outputs[name];
      if (typeof value !== "string") throw new Error(`Stack "${options.stack}" has no output "${name}".`);
      return value;
    };
    const restore = applyEnv({ EVENTS_TABLE: need("eventTableName"), VIEWS_BUCKET: need("viewsBucketName"), EVENT_BUS_NAME: need("eventBusName"), ...(typeof outputs.region === "string" ? { AWS_REGION: outputs.region } : {}) });
    return { describe: `stack ${options.stack}`, stop: async () => restore() };
  }
  const dataDir = path.resolve(options.dataDir);
  const running = endpoints.read(dataDir);
  if (running) {
    const env = handlerEnv({ dynamodb: running.dynamodb, s3: running.s3, eventbridge: running.eventbridge, cognito: running.cognito, userPoolId: "", clientId: "", websocketManagement: "" });
    const restore = applyEnv({ ...env, EVENTS_TABLE: resources.eventsTable, VIEWS_BUCKET: resources.viewsBucket });
    return { describe: `the sandbox running on ${running.web} (pid ${running.pid})`, stop: async () => restore() };
  }
  const { startSandbox } = await import("../infra/local");
  const sandbox = await startSandbox({ dataDir, port: 0, cognitoPort: 0, log: () => undefined });
  return {
    describe: `the data in ${dataDir} (no sandbox was running: started one in this process)`,
    stop: async () => {
      await sandbox.bus.idle();
      await sandbox.stop();
    },
  };
}
