/**
 * The sandbox's dead letters: `<dataDir>/dlq/<projection>.jsonl`. The file is first moved
 * aside (atomically), so letters the running sandbox dead-letters meanwhile land in a new
 * file; letters that fail again are appended back.
 */
import { appendFile, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { DeadLetter, DeadLetterQueue } from "./deadLetters";

export async function fileQueue(dataDir: string): Promise<DeadLetterQueue> {
  const dir = path.join(dataDir, "dlq");
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".jsonl"));
  const letters: DeadLetter[] = [];
  const taken: string[] = [];
  for (const file of files) {
    const aside = path.join(dir, `${file}.redriving-${process.pid}`);
    await rename(path.join(dir, file), aside);
    taken.push(aside);
    const lines = (await readFile(aside, "utf8")).split("\n").filter((l) => l.trim());
    lines.forEach((line, i) => {
      const record = JSON.parse(line) as { projection: string; event: unknown };
      letters.push({ id: `${file}:${i}`, projection: record.projection, event: record.event, ...{ line } });
    });
  }
  let handedOut = false;
  return {
    async receive() {
      if (handedOut) {
        await Promise.all(taken.map((f) => rm(f, { force: true })));
        return [];
      }
      handedOut = true;
      return letters;
    },
    async remove() {},
    async keep(letter) {
      const file = path.join(dir, `${letter.projection}.jsonl`);
      await appendFile(file, `${(letter as DeadLetter & { line: string }).line}\n`);
    },
  };
}
