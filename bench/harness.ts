/**
 * Starts the sandbox in this process with counting proxies in front of DynamoDB, S3 and
 * EventBridge, and metered handlers (ours and the baseline's) behind the bus.
 *
 * The sandbox sets the handlers' AWS_ENDPOINT_URL_* to its servers; the bench then points
 * them at its proxies (the adapters rebuild their SDK clients when those settings change),
 * so every request a handler makes is counted on its way to the real local server. The
 * bench's own set-up and checks go straight to the servers and are not counted.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { documentClient, DynamoEventStore } from "../functions/adapters/dynamoEventStore";
import { S3ViewMaintenance, S3ViewStore } from "../functions/adapters/s3ViewStore";
import { startSandbox, type Sandbox } from "../infra/local";
import { resources } from "../infra/local/context";
import { defaultHandlers } from "../infra/local/handlers";
import { Baseline } from "./baseline";
import { installCallerHeader } from "./callers";
import { Counters } from "./counters";
import { LambdaMeter, meteredHandlers } from "./lambdas";
import { buckets, DynamoMeter, EventsMeter, S3Meter } from "./meters";
import { startProxy, type RunningProxy } from "./proxy";

export interface Bench {
  sandbox: Sandbox;
  counters: Counters;
  lambdas: LambdaMeter;
  s3Meter: S3Meter;
  baseline: Baseline;
  /** The counting proxies' URLs. */
  proxies: { dynamodb: string; s3: string; eventbridge: string };
  /** Straight to the servers, not counted: seeding and checking. */
  direct: {
    dynamodb: DynamoDBClient;
    store: DynamoEventStore;
    s3: S3Client;
    views: S3ViewStore;
    maintenance: S3ViewMaintenance;
    baselineViews: S3ViewStore;
  };
  /** Through the proxies, counted: what a tool run against the sandbox would use. */
  counted: { store: DynamoEventStore; views: S3ViewStore; maintenance: S3ViewMaintenance };
  /** Resolves when neither the bus nor the baseline has work left. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export async function startBench(options: { dataDir?: string; keep?: boolean } = {}): Promise<Bench> {
  installCallerHeader();
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "chat-bench-")));
  const counters = new Counters();
  const lambdas = new LambdaMeter(counters);
  const baseline = new Baseline();
  const sandbox = await startSandbox({
    dataDir,
    port: 0,
    cognitoPort: 0,
    log: (level, message) => {
      if (level === "error") process.stderr.write(`[sandbox] ${message}\n`);
    },
    handlers: meteredHandlers(defaultHandlers(), lambdas, baseline),
  });
  const proxies: RunningProxy[] = [];
  try {
    const s3Meter = new S3Meter(counters);
    // No global secondary index on any table now (the stream is the outbox); the meter still bills any it is told of.
    const indexKeys: Record<string, string[]> = {};
    const dynamodb = await startProxy(sandbox.urls.dynamodb, new DynamoMeter(counters, indexKeys));
    const s3 = await startProxy(sandbox.urls.s3, s3Meter);
    const eventbridge = await startProxy(sandbox.urls.eventbridge, new EventsMeter(counters));
    proxies.push(dynamodb, s3, eventbridge);
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb.url;
    process.env.AWS_ENDPOINT_URL_S3 = s3.url;
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = eventbridge.url;
    await baseline.connect(s3.url);

    const region = resources.region;
    const directDb = new DynamoDBClient({ endpoint: sandbox.urls.dynamodb, region, credentials });
    const directS3 = new S3Client({ endpoint: sandbox.urls.s3, region, credentials, forcePathStyle: true });
    const countedDb = new DynamoDBClient({ endpoint: dynamodb.url, region, credentials });
    const countedS3 = new S3Client({ endpoint: s3.url, region, credentials, forcePathStyle: true });
    const table = () => resources.eventsTable;
    const viewsBucket = () => resources.viewsBucket;
    const bench: Bench = {
      sandbox,
      counters,
      lambdas,
      s3Meter,
      baseline,
      proxies: { dynamodb: dynamodb.url, s3: s3.url, eventbridge: eventbridge.url },
      direct: {
        dynamodb: directDb,
        store: new DynamoEventStore(documentClient(directDb), table),
        s3: directS3,
        views: new S3ViewStore(directS3, viewsBucket),
        maintenance: new S3ViewMaintenance(directS3, viewsBucket),
        baselineViews: new S3ViewStore(directS3, () => buckets.baseline),
      },
      counted: {
        store: new DynamoEventStore(documentClient(countedDb), table),
        views: new S3ViewStore(countedS3, viewsBucket),
        maintenance: new S3ViewMaintenance(countedS3, viewsBucket),
      },
      async idle() {
        for (;;) {
          const before = sandbox.bus.stats().deliveries;
          await sandbox.bus.idle();
          await baseline.idle();
          await new Promise((r) => setTimeout(r, 10));
          if (sandbox.bus.stats().deliveries === before && baseline.pending() === 0) return;
        }
      },
      async stop() {
        await sandbox.bus.idle().catch(() => undefined);
        await baseline.idle().catch(() => undefined);
        await sandbox.stop();
        for (const proxy of proxies) await proxy.stop();
        for (const client of [directDb, directS3, countedDb, countedS3]) client.destroy();
        if (!options.keep && !options.dataDir) await rm(dataDir, { recursive: true, force: true });
      },
    };
    return bench;
  } catch (error) {
    await sandbox.stop().catch(() => undefined);
    for (const proxy of proxies) await proxy.stop().catch(() => undefined);
    throw error;
  }
}

