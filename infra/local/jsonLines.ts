/** An append-only JSON Lines file: one JSON document per line, appended in call order. */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";

export class JsonLinesFile {
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  append(...records: unknown[]): Promise<void> {
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join("");
    const write = this.tail.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      await appendFile(this.file, text, "utf8");
    });
    this.tail = write.catch(() => undefined);
    return write;
  }

  /** Every record, once the appends already called have been written (never half a line). */
  async read<T = unknown>(): Promise<T[]> {
    await this.tail;
    const text = await readFile(this.file, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as T);
  }
}
