/**
 * `npm run build`: bundles every Lambda of `functions/handlers.ts` with esbuild into
 * its own folder, `dist/functions/<name>/index.js` (+ `index.js.map`), ready for
 * `pulumi.asset.FileArchive`. The AWS SDK v3 is bundled in (not taken from the runtime),
 * so a deploy runs exactly the SDK version the tests ran; resolving packages' ES module
 * builds first lets esbuild drop every SDK command a handler never constructs.
 */
import { rmSync, statSync } from "node:fs";
import path from "node:path";
import { build as esbuild, type BuildOptions } from "esbuild";
import { functions, type FunctionName } from "../functions/handlers";
import { bundleDir } from "../infra/aws/bundles";

const root = path.resolve(__dirname, "..");

/** The esbuild settings every bundle shares; the infra tests analyse handlers with the same. */
export const bundleOptions: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  mainFields: ["module", "main"],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  treeShaking: true,
  legalComments: "none",
  logLevel: "warning",
};

export interface BuiltBundle {
  name: FunctionName;
  dir: string;
  bytes: number;
}

/** Builds one function's bundle from a clean folder. */
export async function buildFunction(name: FunctionName): Promise<BuiltBundle> {
  const dir = bundleDir(name);
  const outdir = path.join(root, dir);
  rmSync(outdir, { recursive: true, force: true });
  await esbuild({
    ...bundleOptions,
    absWorkingDir: root,
    entryPoints: [functions[name].entry],
    outfile: path.join(outdir, "index.js"),
  });
  return { name, dir, bytes: statSync(path.join(outdir, "index.js")).size };
}

/** Builds every function's bundle, in parallel. */
export async function buildAll(): Promise<BuiltBundle[]> {
  const names = Object.keys(functions) as FunctionName[];
  return Promise.all(names.map(buildFunction));
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

if (require.main === module) {
  buildAll().then(
    (bundles) => {
      for (const b of bundles) console.log(`${b.dir}/index.js  ${kib(b.bytes)}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
