/**
 * cognito-local keeps each pool in a JSON file through StormDB, whose asynchronous writes
 * are plain overlapping `fs.writeFile`s to one path: two sign-ups at once can interleave
 * and leave a corrupted file that the next start refuses to load. This makes its writes
 * one at a time per file, each to a temporary file renamed into place (atomic), and lets
 * the sandbox wait for the last one before it stops.
 */
import { rename, writeFile } from "node:fs/promises";

interface LocalEngine {
  path: string;
  async: boolean;
  serialize(data: unknown): string;
  write(data: unknown): Promise<void> | null;
}

const queues = new Map<string, Promise<void>>();
let patched = false;

export function makeCognitoWritesSafe(): void {
  if (patched) return;
  patched = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Engine = require("stormdb/src/engine/local.js") as { prototype: LocalEngine };
  const writeSync = Engine.prototype.write;
  Engine.prototype.write = function (this: LocalEngine, data: unknown) {
    if (!this.async) return writeSync.call(this, data);
    const text = this.serialize(data); // what the store holds now, not when the write runs
    const file = this.path;
    const previous = queues.get(file) ?? Promise.resolve();
    const next = previous.then(async () => {
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, file);
    });
    queues.set(file, next.catch(() => undefined));
    return next;
  };
}

/** Resolves once every write already asked for is on disk. */
export async function cognitoWritesDone(): Promise<void> {
  await Promise.all(queues.values());
}
