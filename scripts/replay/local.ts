/**
 * The local EventBridge a replay talks to: the sandbox already running on the data dir
 * (found through its `<dataDir>/endpoints.json`, whose pid must be alive), or else one
 * started in this process over the same data and stopped once the replay and every
 * delivery it caused are done.
 */
import path from "node:path";
import * as endpoints from "../../infra/local/endpoints";
import type { Sandbox, SandboxOptions } from "../../infra/local";

export interface LocalEventBridge {
  endpoint: string;
  where: string;
  /** Waits until the sandbox started here has no delivery left; then stops it. No-op for a running sandbox. */
  finish(): Promise<string | undefined>;
}

export type StartSandbox = (options: SandboxOptions) => Promise<Sandbox>;

export async function localEventBridge(dataDir: string, start?: StartSandbox): Promise<LocalEventBridge> {
  const dir = path.resolve(dataDir);
  const running = endpoints.read(dir);
  if (running) {
    return { endpoint: running.eventbridge, where: `the sandbox running on ${running.web} (pid ${running.pid})`, finish: async () => undefined };
  }
  // Loaded only here, so `--stack` runs never load the local servers. require, not import():
  // mocha loads TypeScript through tsx's CommonJS hook only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const startSandbox = start ?? (require("../../infra/local/index") as typeof import("../../infra/local/index")).startSandbox;
  const sandbox = await startSandbox({ dataDir: dir, port: 0, cognitoPort: 0, log: () => {} });
  return {
    endpoint: sandbox.urls.eventbridge,
    where: `a sandbox started in this process on ${dir} (none was running)`,
    finish: async () => {
      try {
        await sandbox.bus.idle();
        const letters = Object.entries(sandbox.bus.deadLetters());
        return letters.length > 0
          ? `Dead-lettered during the replay: ${letters.map(([p, n]) => `${p} ${n}`).join(", ")} (see ${path.join(dir, "dlq")}).`
          : undefined;
      } finally {
        await sandbox.stop();
      }
    },
  };
}
