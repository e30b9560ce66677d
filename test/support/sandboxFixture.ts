/** Starts the whole sandbox for a test: free ports, a throw-away data dir, no logs, no schedule. */
import { startSandbox, type Sandbox, type SandboxOptions } from "../../infra/local";
import { silentLog } from "../../infra/local/context";
import { removeDir, tempDataDir } from "./sandboxContext";

export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    port: 0,
    cognitoPort: 0,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    log: silentLog,
    ...options,
    dataDir: options.dataDir ?? (await tempDataDir()),
  });
}

/** Stops the sandbox and removes its data dir. */
export async function disposeTestSandbox(sandbox: Sandbox | undefined): Promise<void> {
  if (!sandbox) return;
  await sandbox.stop();
  await removeDir(sandbox.dataDir);
}
