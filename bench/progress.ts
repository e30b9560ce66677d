/** Progress on stderr, so stdout stays the Markdown report. */
const started = Date.now();

export function note(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
}

/** Prints `status()` every `ms` until stopped: for phases that take a while. */
export function ticker(status: () => string, ms = 3000): () => void {
  const timer = setInterval(() => note(status()), ms);
  timer.unref();
  return () => clearInterval(timer);
}
