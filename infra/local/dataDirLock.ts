/**
 * `<dataDir>/sandbox.lock`: one sandbox at a time on a data dir. Two would share dynalite's
 * LevelDB (the second one's opens fail, and it answers "Database is closed"), s3rver's
 * files and cognito-local's pool files. The lock holds the pid of the process that took it;
 * a lock whose process is gone (killed, crashed) is stale and taken over, so a previous
 * run's leftovers never stop a start. A lock holding this very pid but not taken by this
 * process is stale too: a container restarted with the same pid left it.
 */
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Running } from "./service";

export const lockFile = (dataDir: string) => path.join(dataDir, "sandbox.lock");

/** Another live process holds the data dir. */
export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`another sandbox (pid ${pid}) is running on ${dataDir}; stop it first, or start this one with another --data-dir`);
    this.name = "DataDirBusyError";
  }
}

/** The data dirs this process holds now. */
const held = new Set<string>();

/** Takes the lock of `dataDir` (created if missing); its `stop()` gives it back. */
export async function acquire(dataDir: string): Promise<Running> {
  const file = lockFile(dataDir);
  if (held.has(file)) throw new DataDirBusyError(dataDir, process.pid);
  held.add(file);
  try {
    await mkdir(dataDir, { recursive: true });
    // Written aside, then linked into place: a lock is never seen without its pid.
    const mine = `${file}.${process.pid}`;
    await writeFile(mine, `${process.pid}\n`);
    await takeOver(dataDir, file, mine).finally(() => rm(mine, { force: true }));
  } catch (error) {
    held.delete(file);
    throw error;
  }
  return {
    stop: async () => {
      held.delete(file);
      if ((await holderOf(file)) === process.pid) await rm(file, { force: true });
    },
  };
}

async function takeOver(dataDir: string, file: string, mine: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await link(mine, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await holderOf(file);
    if (holder !== undefined && isAlive(holder)) throw new DataDirBusyError(dataDir, holder);
    await rm(file, { force: true }); // stale: its process is gone
  }
  throw new Error(`could not take ${file}: other starts keep taking it`);
}

async function holderOf(file: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(file, "utf8")).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Whether a process with this pid is alive (ours counts as dead: this process does not hold the lock, see `held`). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
