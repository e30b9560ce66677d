/**
 * Runs the Pulumi program (index.ts) under mocks with a stack's settings, the way
 * `pulumi up` would run it, and returns what it registered and exported.
 */
import { readFileSync } from "node:fs";
import Module from "node:module";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildAll } from "../../../scripts/build";
import { type Recorded, recordingMocks } from "./mocks";

export const root = path.resolve(__dirname, "../../..");

export interface Stack {
  config: Record<string, string>;
  resources: Recorded[];
  outputs: Record<string, unknown>;
}

/**
 * A stack file's `config:` block. Stack files here are flat `key: value` lines (values
 * plain or quoted); anything else is refused rather than half-read.
 */
export function readStackConfig(file: string): Record<string, string> {
  const config: Record<string, string> = {};
  let inConfig = false;
  for (const line of readFileSync(path.join(root, file), "utf8").split("\n")) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    if (line === "config:") {
      inConfig = true;
      continue;
    }
    const entry = /^ {2}([\w-]+:[\w-]+):\s*(.*?)\s*$/.exec(line);
    if (!inConfig || !entry) throw new Error(`${file}: cannot read "${line}"`);
    config[entry[1]!] = entry[2]!.replace(/^"(.*)"$/, "$1");
  }
  return config;
}

let built: Promise<unknown> | undefined;
/** `npm run build`, once per test run: the program deploys its output. */
export function buildOnce(): Promise<unknown> {
  built ??= buildAll();
  return built;
}

const programModules = () =>
  Object.keys(require.cache).filter((file) => file === path.join(root, "index.ts") || file.startsWith(path.join(root, "infra/aws/")));

/**
 * Runs index.ts for `stack` with `config`. `replace` swaps a project module's exports
 * (e.g. functions/handlers.ts) for this run only, to show how the program follows them.
 */
export async function runProgram(
  stack: string,
  config: Record<string, string>,
  replace: Record<string, (actual: any) => unknown> = {},
): Promise<Stack> {
  await buildOnce();
  const resources: Recorded[] = [];
  await pulumi.runtime.setMocks(recordingMocks(resources), "chat", stack, false);
  pulumi.runtime.setAllConfig(config);

  for (const file of programModules()) delete require.cache[file];
  const restore: [string, NodeJS.Module | undefined][] = [];
  for (const [relative, change] of Object.entries(replace)) {
    const file = require.resolve(path.join(root, relative));
    const actual = require(file);
    restore.push([file, require.cache[file]]);
    const stand = new Module(file);
    stand.filename = file;
    stand.loaded = true;
    stand.exports = change(actual);
    require.cache[file] = stand;
  }
  try {
    const program = require(path.join(root, "index.ts")) as Record<string, unknown>;
    await settled();
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(program)) outputs[key] = await valueOf(value);
    return { config, resources, outputs };
  } finally {
    for (const [file, module] of restore) {
      if (module) require.cache[file] = module;
      else delete require.cache[file];
    }
    for (const file of programModules()) delete require.cache[file];
  }
}

let dev: Promise<Stack> | undefined;
/** The dev stack (Pulumi.dev.yaml), run once and shared by the test files. */
export function devStack(): Promise<Stack> {
  dev ??= runProgram("dev", readStackConfig("Pulumi.dev.yaml"));
  return dev;
}

/** Every registration and output the program started has been answered. */
async function settled(): Promise<void> {
  const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs?: () => Promise<void> };
  if (!settings.waitForRPCs) throw new Error("@pulumi/pulumi no longer exposes waitForRPCs: update test/infra/support/program.ts");
  await settings.waitForRPCs();
}

/** The plain value of an output (or of a record of outputs). */
function valueOf(value: unknown): Promise<unknown> {
  if (value === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => pulumi.output(value).apply(resolve));
}
