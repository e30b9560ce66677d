/**
 * Lambda bundle sizes: every function of functions/handlers.ts built with the very esbuild
 * options of `npm run build` (scripts/build.ts exports them), into a temporary folder so
 * the bench leaves dist/ alone. Bytes of each `index.js` (what Lambda loads; the source
 * map is deployed beside it but not loaded).
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { functions, type FunctionName } from "../functions/handlers";
import { bundleOptions } from "../scripts/build";

const root = path.resolve(__dirname, "..");

export async function bundleSizes(names: readonly FunctionName[] = Object.keys(functions) as FunctionName[]): Promise<Record<string, number>> {
  const out = await mkdtemp(path.join(tmpdir(), "chat-bench-bundles-"));
  try {
    const sizes: Record<string, number> = {};
    // Two at a time: the machine has two cores.
    for (let i = 0; i < names.length; i += 2) {
      await Promise.all(
        names.slice(i, i + 2).map(async (name) => {
          const outfile = path.join(out, name, "index.js");
          await build({ ...bundleOptions, logLevel: "error", absWorkingDir: root, entryPoints: [functions[name].entry], outfile });
          sizes[name] = (await stat(outfile)).size;
        }),
      );
    }
    return Object.fromEntries(Object.entries(sizes).sort(([a], [b]) => (a < b ? -1 : 1)));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
