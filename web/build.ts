/**
 * Builds the web app into `web/dist` when it is missing or older than anything it is built
 * from (`web/src`, `web/public`, `index.html`, the Vite config, and the shared folds in
 * `functions/domain`). `npm start` and the browser tests call `ensureWebBuilt()`; `npm run
 * build:web` always builds.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

export const webDir = __dirname;
export const distDir = path.join(webDir, "dist");
export const viteConfig = path.join(webDir, "vite.config.ts");
const sources = [path.join(webDir, "src"), path.join(webDir, "public"), path.join(webDir, "index.html"), viteConfig, path.resolve(webDir, "../functions/domain")];

interface Vite {
  build(options: { configFile: string; configLoader?: "bundle" | "runner"; logLevel?: "info" | "warn" | "error" | "silent" }): Promise<unknown>;
}

/** True when `web/dist` is missing or some source changed after it was built. */
export async function isWebStale(): Promise<boolean> {
  const built = await mtime(path.join(distDir, "index.html"));
  if (built === undefined) return true;
  for (const source of sources) if ((await newest(source)) > built) return true;
  return false;
}

export async function buildWeb(logLevel: "info" | "warn" | "error" | "silent" = "warn"): Promise<void> {
  // Vite is ESM-only and has no CommonJS typings; loaded by name so this file stays CommonJS-friendly.
  const name = "vite";
  const vite = (await import(name)) as Vite;
  await vite.build({ configFile: viteConfig, configLoader: "runner", logLevel });
}

/** Builds unless `web/dist` is current; true when it built. */
export async function ensureWebBuilt(logLevel?: "info" | "warn" | "error" | "silent"): Promise<boolean> {
  if (!(await isWebStale())) return false;
  await buildWeb(logLevel);
  return true;
}

async function mtime(file: string): Promise<number | undefined> {
  return (await stat(file).catch(() => undefined))?.mtimeMs;
}

async function newest(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(file);
  const times = await Promise.all(entries.map((entry) => newest(path.join(file, entry))));
  return Math.max(info.mtimeMs, ...times);
}
