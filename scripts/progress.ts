/** A one-line progress bar on stderr, with a rate: what long operator commands show. */
export function progressBar(label: string, unit: string) {
  const started = Date.now();
  let last = 0;
  return {
    update(done: number, total: number, force = false) {
      const now = Date.now();
      if (!force && now - last < 100) return;
      last = now;
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const width = 30;
      const filled = Math.round(ratio * width);
      const rate = Math.round(done / Math.max(0.001, (now - started) / 1000));
      const line = `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.round(ratio * 100)}% ${done}/${total} ${unit} ${rate} ${unit}/s`;
      process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
    },
    done(): number {
      if (process.stderr.isTTY) process.stderr.write("\n");
      return (Date.now() - started) / 1000;
    },
  };
}
