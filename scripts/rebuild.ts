/**
 * `npm run rebuild [-- --projection <name>] [--stack <name>] [--data-dir .data]`: rebuilds
 * views from the event store into a new generation, switching to it when complete.
 */
import { parseArgs } from "node:util";
import { S3Client } from "@aws-sdk/client-s3";
import { setting } from "../functions/adapters/config";
import { documentClient, DynamoEventStore } from "../functions/adapters/dynamoEventStore";
import { S3ViewMaintenance, S3ViewStore } from "../functions/adapters/s3ViewStore";
import { rebuild, type ViewProjection, viewProjections } from "../functions/usecases/rebuild";
import { progressLine } from "./progress";
import { resolveTarget } from "./target";

function options() {
  const { values } = parseArgs({
    options: { projection: { type: "string" }, stack: { type: "string" }, "data-dir": { type: "string", default: ".data" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(`usage: npm run rebuild -- [--projection ${viewProjections.join("|")}] [--stack <name>] [--data-dir .data]`);
    process.exit(0);
  }
  if (values.projection !== undefined && !(viewProjections as string[]).includes(values.projection)) {
    throw new Error(`Unknown projection "${values.projection}": choose one of ${viewProjections.join(", ")}.`);
  }
  return { projections: values.projection ? [values.projection as ViewProjection] : viewProjections, stack: values.stack, dataDir: values["data-dir"] ?? ".data" };
}

async function main() {
  const { projections, stack, dataDir } = options();
  const target = await resolveTarget({ stack, dataDir });
  console.error(`Rebuilding ${projections.join(", ")} from the event store of ${target.describe}.`);
  try {
    const s3 = new S3Client({});
    const bucket = () => setting("VIEWS_BUCKET");
    const store = new DynamoEventStore(documentClient(), () => setting("EVENTS_TABLE"));
    const maintenance = new S3ViewMaintenance(s3, bucket);
    const viewStore = new S3ViewStore(s3, bucket);
    const views = { get: viewStore.get.bind(viewStore), put: viewStore.put.bind(viewStore), meta: viewStore.meta.bind(viewStore), list: maintenance.list.bind(maintenance), delete: maintenance.delete.bind(maintenance) };
    // The projections are independent (each its own generation): rebuilt side by side, so
    // the store's and the bucket's round trips overlap.
    const progress = progressLine(projections, "events");
    const outcomes = await Promise.all(
      projections.map(async (projection) => {
        try {
          const report = await rebuild(projection, { store, views, now: () => new Date(), onProgress: (p) => progress.update(projection, p.events, p.total) });
          return { projection, report, seconds: progress.finish(projection, report.events) };
        } catch (error) {
          progress.finish(projection, 0);
          return { projection, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const seconds = progress.done();
    const rows: string[] = [];
    for (const outcome of outcomes) {
      if (!outcome.report) continue;
      const { projection, report } = outcome;
      if (report.cleanupError) console.error(`warning: the old generation ${report.previous} of ${projection} was not deleted (${report.cleanupError}); it is unused.`);
      rows.push(`| ${projection} | ${report.events} | ${outcome.seconds.toFixed(2)} | ${Math.round(report.events / Math.max(outcome.seconds, 0.001))} | ${report.previous} → ${report.generation}${report.resumed ? " (resumed)" : ""} |`);
    }
    console.log(["| projection | events | seconds | events/s | generation |", "|---|---|---|---|---|", ...rows].join("\n"));
    const stored = Math.max(0, ...outcomes.map((o) => o.report?.events ?? 0));
    const failed = outcomes.filter((o) => o.error !== undefined);
    if (failed.length > 0) throw new Error(failed.map((o) => `${o.projection}: ${o.error}`).join("; "));
    console.log(`\nRebuilt ${projections.join(", ")} in ${seconds.toFixed(2)} s: ${Math.round(stored / Math.max(seconds, 0.001))} events/s over ${stored} stored events.`);
  } finally {
    await target.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
