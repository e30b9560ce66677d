/**
 * The AWS SDK warns on every Node 20 process that its later versions will need Node 22.
 * Lambda runs 22+, and this machine's 20 is supported today: keep the sandbox's and the
 * tests' output readable by dropping that one warning (every other warning still shows).
 */
const emit = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === "string" ? warning : warning.message;
  if (text.startsWith("NodeVersionSupportWarning")) return;
  (emit as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
