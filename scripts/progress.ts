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

/** One line for several jobs running at once: each job's share, and the rate of them all. */
export function progressLine(labels: readonly string[], unit: string) {
  const started = Date.now();
  const jobs = new Map(labels.map((label) => [label, { done: 0, total: 0, finished: false }]));
  let last = 0;
  const write = (force: boolean) => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    let done = 0;
    let total = 0;
    const parts: string[] = [];
    for (const [label, job] of jobs) {
      done += job.done;
      total += job.total;
      parts.push(`${label} ${job.finished ? "done" : `${Math.round((job.total > 0 ? Math.min(1, job.done / job.total) : 0) * 100)}%`}`);
    }
    const rate = Math.round(done / Math.max(0.001, (now - started) / 1000));
    const line = `${parts.join(" · ")} · ${done}/${total} ${unit} ${rate} ${unit}/s`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
  };
  return {
    update(label: string, done: number, total: number) {
      const job = jobs.get(label);
      if (job) Object.assign(job, { done, total });
      write(false);
    },
    /** Marks a job finished and returns its seconds since the line started. */
    finish(label: string, done: number): number {
      const job = jobs.get(label);
      if (job) Object.assign(job, { done, total: Math.max(job.total, done), finished: true });
      write(true);
      return (Date.now() - started) / 1000;
    },
    done(): number {
      if (process.stderr.isTTY) process.stderr.write("\n");
      return (Date.now() - started) / 1000;
    },
  };
}
