/** Helpers for tests that run sandbox services: a throw-away data dir and a quiet context. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { silentLog, type SandboxContext } from "../../infra/local/context";
import { defaultHandlers, type SandboxHandlers } from "../../infra/local/handlers";

export async function tempDataDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "chat-sandbox-"));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function testContext(dataDir: string, handlers: Partial<SandboxHandlers> = {}): SandboxContext {
  return { dataDir, handlers: { ...defaultHandlers(), ...handlers }, log: silentLog };
}
