/**
 * `<dataDir>/endpoints.json`: the running sandbox's service URLs and process id, so that
 * `npm run rebuild`, `replay` and `redrive` use it instead of starting one of their own.
 */
import { readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Running } from "./service";

export interface Endpoints {
  pid: number;
  web: string;
  dynamodb: string;
  s3: string;
  eventbridge: string;
  cognito: string;
}

const fileOf = (dataDir: string) => path.join(dataDir, "endpoints.json");

export async function write(dataDir: string, urls: Omit<Endpoints, "pid">): Promise<Running> {
  const file = fileOf(dataDir);
  await writeFile(file, `${JSON.stringify({ pid: process.pid, ...urls }, null, 2)}\n`);
  return { stop: () => rm(file, { force: true }) };
}

/** The endpoints of a sandbox running now on `dataDir`, if there is one. */
export function read(dataDir: string): Endpoints | undefined {
  try {
    const found = JSON.parse(readFileSync(fileOf(dataDir), "utf8")) as Endpoints;
    process.kill(found.pid, 0); // throws when no such process is alive
    return found;
  } catch {
    return undefined;
  }
}
