/**
 * Everything written to stdout and stderr while `work` runs, with the functions' logger at
 * DEBUG: what the "never logged" tests search for tokens and secrets.
 */
import { logger } from "../../functions/http/logger";

export async function capturedOutput(work: () => Promise<void>): Promise<string[]> {
  const written: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  const level = logger.getLevelName();
  streams.forEach((stream, i) => {
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      return (originals[i] as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
  });
  logger.setLogLevel("DEBUG");
  try {
    await work();
  } finally {
    streams.forEach((stream, i) => (stream.write = originals[i] as typeof stream.write));
    logger.setLogLevel(level);
  }
  return written;
}
