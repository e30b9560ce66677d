/**
 * What some tests need from the machine (Debian's Chromium, an IPv6 loopback). On a
 * developer's machine without it such a test is skipped, saying why; under `CI=true` it
 * fails instead, so a regression it guards can never pass as "pending".
 */
export function requirePrerequisite(available: boolean, what: string, skip: () => void): void {
  if (available) return;
  if (process.env.CI) throw new Error(`${what} is required under CI=true (see .ci/run), and is missing here.`);
  process.stderr.write(`skipped: ${what} is missing on this machine\n`);
  skip();
}
