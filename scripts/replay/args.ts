/**
 * `npm run replay` arguments: `--from <ISO> [--to <ISO>] [--projection <name>] [--stack <name>]`
 * (and `--data-dir`, where the local sandbox keeps its data). Every mistake is a UsageError
 * that says what is wrong.
 */
import { parseArgs } from "node:util";
import { projectionNames, type ProjectionName } from "../../functions/domain/routes";

export interface ReplayArgs {
  from: Date;
  to: Date;
  /** Replay into this projection only; every projection when absent. */
  projection?: ProjectionName;
  /** A deployed stack (real AWS); the local sandbox when absent. */
  stack?: string;
  dataDir: string;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export const usage = [
  "usage: npm run replay -- --from <ISO> [--to <ISO>] [--projection <name>] [--stack <name>] [--data-dir .data]",
  "  --from        replay the archived events from this time on (e.g. 2026-01-02T03:04:05Z)",
  "  --to          up to this time, excluded (default: now)",
  `  --projection  only this projection: ${projectionNames.join(", ")} (default: all of them)`,
  "  --stack       the deployed stack to replay on (default: the local sandbox)",
  "  --data-dir    the local sandbox's data (default: .data)",
].join("\n");

/** Parses the command line; "help" when help was asked for. */
export function parseReplayArgs(argv: string[], now: Date): ReplayArgs | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        from: { type: "string" },
        to: { type: "string" },
        projection: { type: "string" },
        stack: { type: "string" },
        "data-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  if (typeof values.from !== "string") throw new UsageError("--from <ISO time> is required: where in the archive the replay starts.");
  const from = isoTime("--from", values.from);
  const to = typeof values.to === "string" ? isoTime("--to", values.to) : now;
  if (from.getTime() >= to.getTime()) {
    throw new UsageError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()}${values.to === undefined ? ", now" : ""}).`);
  }
  const projection = typeof values.projection === "string" ? projectionOf(values.projection) : undefined;
  const stack = typeof values.stack === "string" ? nonEmpty("--stack", values.stack) : undefined;
  const dataDir = typeof values["data-dir"] === "string" ? nonEmpty("--data-dir", values["data-dir"]) : ".data";
  return { from, to, projection, stack, dataDir };
}

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** An ISO 8601 date (midnight UTC) or date-time with its zone (`Z` or `±hh:mm`). */
export function isoTime(option: string, text: string): Date {
  const bad = (why: string) =>
    new UsageError(`${option} "${text}" is not an ISO 8601 time: ${why} (e.g. 2026-01-02 or 2026-01-02T03:04:05Z).`);
  const parts = isoPattern.exec(text);
  if (!parts) {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) throw bad("give its time zone, Z or ±hh:mm");
    throw bad("expected YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.sss]]Z");
  }
  const [, year, month, day, hour = "0", minute = "0", second = "0"] = parts;
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) throw bad("no such day");
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) throw bad("no such time of day");
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw bad("it does not parse");
  return date;
}

function projectionOf(name: string): ProjectionName {
  if ((projectionNames as string[]).includes(name)) return name as ProjectionName;
  throw new UsageError(`Unknown projection "${name}". The projections are: ${projectionNames.join(", ")}.`);
}

function nonEmpty(option: string, value: string): string {
  if (value.trim() === "") throw new UsageError(`${option} needs a value.`);
  return value;
}
