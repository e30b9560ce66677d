/**
 * The local sandbox: the handlers that run on AWS, unchanged, against local servers that
 * speak the AWS wire protocols, found through the SDK's standard endpoint settings.
 * Services start in a fixed order (each needs only those before it) and stop in reverse.
 */
import path from "node:path";
import type { ProjectionName } from "../../functions/domain/routes";
import * as cognito from "./cognito";
import * as dataDirLock from "./dataDirLock";
import { triggerLambdas } from "./cognitoTriggers";
import { consoleLog, type Log, type SandboxContext } from "./context";
import * as dynamodb from "./dynamodb";
import { applyEnv, handlerEnv } from "./env";
import type { BusEnvelope } from "./busEnvelope";
import type { BusStats, RetryPolicy } from "./eventBus";
import * as eventbridge from "./eventbridge";
import { defaultHandlers, type SandboxHandlers } from "./handlers";
import * as httpApi from "./httpApi";
import * as lambda from "./lambda";
import * as s3 from "./s3";
import * as websocket from "./websocket";
import * as endpoints from "./endpoints";
import { FaultInjector, type FaultName, type FaultOptions, type FaultRates } from "./faults";
import type { Running } from "./service";
import type { TableStream } from "./tableStream";

export interface SandboxOptions {
  /** Where every service keeps its data; default `.data` (relative to the working directory). */
  dataDir?: string;
  /** The web origin and HTTP API; default `PORT` or 3000; 0 = any free port. */
  port?: number;
  /** Default 9229; 0 = any free port. */
  cognitoPort?: number;
  /** The other services take any free port unless given one. */
  dynamodbPort?: number;
  s3Port?: number;
  eventbridgePort?: number;
  lambdaPort?: number;
  /** Replace some handlers (tests inject fakes); the rest are the real ones, loaded lazily. */
  handlers?: Partial<SandboxHandlers>;
  /** The bus's retry policy for deliveries (default 6 attempts from 100 ms, doubling). */
  retry?: Partial<RetryPolicy>;
  /** The built web app; default `web/dist` of the repository. */
  webRoot?: string;
  /** Origins allowed to call the API besides the web origin (e.g. a Vite dev server). */
  corsOrigins?: string[];
  /**
   * Confirm sign-ups at once (default true, as CONTRACT §2 wants locally). Tests of the
   * confirmation step set false: then the code of each sign-up goes to `log` (cognitoCodes.ts).
   */
  autoConfirmSignUps?: boolean;
  log?: Log;
  /**
   * Faults to inject (faults.ts): rates from 0 to 1 per fault, as an object, a spec
   * (`"api=0.1,delay=0.3"`, as `npm start -- --faults` takes), or full options with
   * `maxDelayMs` and `seed`. Given at all (even all zero), the DynamoDB endpoint is the
   * fault proxy, and `sandbox.faults.set()` can change rates while running.
   */
  faults?: FaultRates | string | FaultOptions;
}

export interface SandboxFaults {
  seed: number;
  /** The rates now in force (those above 0). */
  rates(): FaultRates;
  /** Changes some rates while running. */
  set(rates: FaultRates): void;
  /** Faults injected since start, per kind. */
  injected(): Record<FaultName, number>;
  /** Requests that crashed invocations still sent; none is expected (infra/local/invocations.ts). */
  lateRequests(): string[];
}

export interface SandboxBus {
  /**
   * Resolves when the table's stream has handed every event to the bus (or waits for a retry
   * because the bus refuses) and no delivery is running or waiting for a retry.
   */
  idle(): Promise<void>;
  /** Deliveries dead-lettered since start, per projection. */
  deadLetters(): Partial<Record<ProjectionName, number>>;
  stats(): BusStats;
  /** Puts events straight on the bus (archive + rules), as a replay would. */
  put(events: BusEnvelope[]): Promise<void>;
  /** `<dataDir>/archive/chat-bus.jsonl`. */
  archiveFile: string;
  /** `<dataDir>/dlq/<projection>.jsonl`. */
  deadLetterFile(projection: ProjectionName): string;
}

export interface Sandbox {
  urls: { web: string; api: string; ws: string; cognito: string; dynamodb: string; s3: string; eventbridge: string; lambda: string };
  /** Open WebSocket connections by id: tests close one to watch a client reconnect. */
  sockets: Map<string, import("ws").WebSocket>;
  userPoolId: string;
  clientId: string;
  dataDir: string;
  bus: SandboxBus;
  /** The event table's stream into the publisher (tableStream.ts). */
  tableStream: Pick<TableStream, "idle" | "backlog" | "retryNow" | "unrecorded">;
  /** The faults being injected; undefined when the sandbox was started without `faults`. */
  faults?: SandboxFaults;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(__dirname, "../..");

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const ctx: SandboxContext = {
    dataDir: path.resolve(options.dataDir ?? ".data"),
    handlers: { ...defaultHandlers(), ...options.handlers },
    log: options.log ?? consoleLog,
    faults: options.faults === undefined ? undefined : new FaultInjector(faultOptions(options.faults)),
  };
  const started: Running[] = [];
  const stopAll = async () => {
    for (const service of started.splice(0).reverse()) await service.stop();
  };
  const up = async <T extends Running>(service: Promise<T>): Promise<T> => {
    const running = await service;
    started.push(running);
    return running;
  };
  try {
    // 0. The data dir's lock: one sandbox at a time on it (a live holder stops this start).
    await up(dataDirLock.acquire(ctx.dataDir));
    // 1. DynamoDB: the event store; needs nothing.
    const db = await up(dynamodb.start(ctx, options.dynamodbPort ?? 0));
    // 2. S3: the views bucket; needs nothing.
    const views = await up(s3.start(ctx, options.s3Port ?? 0));
    // 3. EventBridge: its targets (the projections) load lazily, once the env below is set.
    const events = await up(eventbridge.start(ctx, { port: options.eventbridgePort ?? 0, retry: options.retry }));
    // 4. Lambda Invoke API: cognito-local's triggers call through it.
    const functions = await up(lambda.start(ctx, triggerLambdas(ctx), options.lambdaPort ?? 0));
    // 5. Cognito: needs the Lambda endpoint; gives the pool the handlers and the door need.
    const auth = await up(cognito.start(ctx, { port: options.cognitoPort ?? 9229, lambdaUrl: functions.url, autoConfirm: options.autoConfirmSignUps }));
    // 5b. The WebSocket API's @connections endpoint: the notify handler's WS_ENDPOINT.
    const sockets = await up(websocket.start(ctx));
    // 6. The handlers' environment, set before any handler module is loaded (they read it once).
    const restoreEnv = applyEnv(
      handlerEnv({ dynamodb: db.url, s3: views.url, eventbridge: events.url, cognito: auth.url, userPoolId: auth.userPoolId, clientId: auth.clientId, websocketManagement: sockets.managementUrl }),
    );
    started.push({ stop: async () => restoreEnv() });
    // 7. The HTTP API front door and web origin: needs the pool's issuer and client.
    const door = await up(
      httpApi.start(ctx, {
        port: options.port ?? Number(process.env.PORT ?? 3000),
        userPoolId: auth.userPoolId,
        clientId: auth.clientId,
        cognitoUrl: auth.url,
        issuer: auth.issuer,
        jwksUrl: auth.jwksUrl,
        webRoot: options.webRoot ?? path.join(repoRoot, "web", "dist"),
        corsOrigins: options.corsOrigins,
        onUpgrade: sockets.handleUpgrade,
      }),
    );
    // 7b. The WebSockets ride on the door's connections: on stop they are closed first, with
    // a close frame, so pages say they are reconnecting and the door has nothing to wait for.
    started.push({ stop: () => sockets.closeConnections() });
    // 8. The table's stream into the publisher: last, since it calls a handler that uses all of the above.
    const stream = db.stream;
    stream.startDelivery();
    started.push({ stop: () => stream.stop() });

    // 9. Where the operator commands (rebuild, replay, redrive) find this running sandbox.
    await up(endpoints.write(ctx.dataDir, { web: door.url, dynamodb: db.url, s3: views.url, eventbridge: events.url, cognito: auth.url }));

    const bus = events.bus;
    return {
      sockets: sockets.connections,
      urls: { web: door.url, api: `${door.url}/api`, ws: `${door.url.replace(/^http/, "ws")}/ws`, cognito: auth.url, dynamodb: db.url, s3: views.url, eventbridge: events.url, lambda: functions.url },
      userPoolId: auth.userPoolId,
      clientId: auth.clientId,
      dataDir: ctx.dataDir,
      bus: {
        idle: async () => {
          await stream.idle();
          await bus.idle();
        },
        deadLetters: () => bus.deadLetters(),
        stats: () => bus.stats(),
        put: (events) => bus.put(events),
        archiveFile: bus.archive.file,
        deadLetterFile: (projection) => bus.deadLetterFile(projection).file,
      },
      tableStream: { idle: () => stream.idle(), backlog: () => stream.backlog(), retryNow: () => stream.retryNow(), unrecorded: (write) => stream.unrecorded(write) },
      faults: ctx.faults && sandboxFaults(ctx.faults),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

function faultOptions(faults: FaultRates | string | FaultOptions): FaultOptions {
  if (typeof faults === "string") return { rates: faults };
  const options = faults as FaultOptions;
  return "rates" in options || "seed" in options || "maxDelayMs" in options ? options : { rates: faults as FaultRates };
}

function sandboxFaults(faults: FaultInjector): SandboxFaults {
  return { seed: faults.seed, rates: () => faults.currentRates(), set: (rates) => faults.set(rates), injected: () => faults.injected(), lateRequests: () => [...faults.lateRequests] };
}

export type { SandboxHandlers } from "./handlers";
export { faultNames, parseFaults, FaultInjector, FaultSpecError, type FaultName, type FaultRates, type FaultOptions } from "./faults";
export type { BusEnvelope } from "./busEnvelope";
export type { ArchiveRecord, DeadLetter, BusStats, RetryPolicy } from "./eventBus";
export { DataDirBusyError } from "./dataDirLock";
