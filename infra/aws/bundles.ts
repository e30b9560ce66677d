/**
 * Where `npm run build` (scripts/build.ts) writes each function's bundle, and where the
 * Pulumi program takes it from: one folder per entry of `functions/handlers.ts`, holding
 * `index.js` (exports `handler`) and its source map. Paths are relative to the project
 * root, where both `npm run build` and `pulumi` run.
 */
export const bundleRoot = "dist/functions";

/** The folder the program deploys as the Lambda's code (`pulumi.asset.FileArchive`). */
export function bundleDir(functionName: string): string {
  return `${bundleRoot}/${functionName}`;
}

/** The Lambda `handler` setting matching the bundles: file `index.js`, export `handler`. */
export const bundleHandler = "index.handler";
