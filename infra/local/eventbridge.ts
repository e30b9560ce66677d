/**
 * EventBridge stand-in: PutEvents and the replay operations (StartReplay, DescribeReplay,
 * ListReplays, CancelReplay) over the AWS JSON 1.1 protocol (so the real
 * `@aws-sdk/client-eventbridge` works against it through AWS_ENDPOINT_URL_EVENTBRIDGE),
 * in front of a local bus whose rules come from functions/domain/routes.ts and whose
 * archive `chat-archive` is `<dataDir>/archive/chat-bus.jsonl`.
 *
 * Faults (faults.ts): `publish` makes a PutEvents fail whole (HTTP 500 InternalException,
 * which the SDK retries) or fail some of its entries (`FailedEntryCount`, ErrorCode
 * `InternalFailure`, which it does not); failed entries are neither archived nor
 * delivered. `projection` makes a delivery's invocation throw, half the time before the
 * handler runs and half the time after it did its work (as a function that times out
 * after its writes), so the bus retries it.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { ProjectionName } from "../../functions/domain/routes";
import { archiveName, eventBridgeArns } from "./arns";
import { AwsError } from "./awsError";
import { envelope } from "./busEnvelope";
import { projectionRules } from "./busRules";
import { errorMessage, resources, type SandboxContext } from "./context";
import { defaultRetryPolicy, LocalEventBus, type RetryPolicy } from "./eventBus";
import { type FaultInjector, InjectedFault } from "./faults";
import type { ProjectionEvent, ProjectionHandler } from "./handlers";
import { invokeLambda } from "./lambdaRuntime";
import { close, listen, urlOf } from "./listen";
import { checkEntry, knownBuses, requestEntries, ValidationException } from "./putEvents";
import { Replays } from "./replays";
import { readBody } from "./requestBody";
import { instances, type Running } from "./service";

export interface EventBridgeOptions {
  port?: number;
  retry?: Partial<RetryPolicy>;
}

export interface EventBridgeService extends Running {
  url: string;
  bus: LocalEventBus;
  replays: Replays;
}

const running = instances<EventBridgeService>();

export async function start(ctx: SandboxContext, options: EventBridgeOptions = {}): Promise<EventBridgeService> {
  const targets = new Map<ProjectionName, ProjectionHandler>();
  const targetOf = (name: ProjectionName) => targets.get(name) ?? targets.set(name, ctx.handlers.projection(name)).get(name)!;
  const bus = new LocalEventBus({
    name: resources.eventBus,
    dataDir: ctx.dataDir,
    rules: projectionRules(resources.eventBus),
    retry: { ...defaultRetryPolicy, ...options.retry },
    log: ctx.log,
    faults: ctx.faults,
    deliver: async (rule, event) => {
      const fault = ctx.faults?.roll("projection") ? (ctx.faults.random() < 0.5 ? "before" : "after") : undefined;
      if (fault === "before") throw new InjectedFault("projection", `projection-${rule.projection} failed before its handler ran`);
      await invokeLambda("projection", targetOf(rule.projection), event as ProjectionEvent, `projection-${rule.projection}`);
      if (fault === "after") throw new InjectedFault("projection", `projection-${rule.projection} failed after its handler ran`);
    },
  });
  const replays = new Replays({
    archive: { name: archiveName, arn: eventBridgeArns.archive(archiveName), busArn: eventBridgeArns.bus(resources.eventBus), read: () => bus.archive.read() },
    rules: bus.rules,
    deliver: (rules, event) => bus.deliverTo(rules, event),
    log: ctx.log,
  });
  const operations: Operations = {
    "AWSEvents.PutEvents": (body) => putEvents(bus, body, ctx.faults),
    "AWSEvents.StartReplay": (body) => replays.start(body),
    "AWSEvents.DescribeReplay": (body) => replays.describe(body),
    "AWSEvents.ListReplays": (body) => replays.list(body),
    "AWSEvents.CancelReplay": (body) => replays.cancel(body),
  };
  const server = createServer((req, res) => {
    handle(operations, req, res).catch((error: unknown) => {
      ctx.log("error", `eventbridge: ${errorMessage(error)}`);
      if (!res.headersSent) reply(res, 500, { __type: "InternalException", message: errorMessage(error) });
    });
  });
  const url = urlOf(await listen(server, options.port ?? 0));
  return running.track({
    url,
    bus,
    replays,
    async stop() {
      await close(server);
      // Replays stop before their next event; bus.close() ends the retries they wait on.
      const replaysStopped = replays.close();
      await bus.close();
      await replaysStopped;
    },
  });
}

export const stop = () => running.stopAll();

type Operations = Record<string, (body: unknown) => object | Promise<object>>;

async function handle(operations: Operations, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = req.headers["x-amz-target"];
  if (req.method !== "POST" || typeof target !== "string") {
    return reply(res, 400, { __type: "UnknownOperationException", message: "Expected a POST with X-Amz-Target" });
  }
  const operation = operations[target];
  if (!operation) {
    return reply(res, 400, { __type: "UnknownOperationException", message: `${target} is not emulated by the sandbox` });
  }
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req, 1024 * 1024)).toString("utf8"));
  } catch {
    return reply(res, 400, { __type: "SerializationException", message: "Start of structure or map found where not expected." });
  }
  try {
    return reply(res, 200, await operation(body));
  } catch (error) {
    if (error instanceof ValidationException || error instanceof AwsError) return reply(res, 400, { __type: error.name, message: error.message });
    if (error instanceof InjectedFault) return reply(res, 500, { __type: "InternalException", message: error.message });
    throw error;
  }
}

async function putEvents(bus: LocalEventBus, body: unknown, faults: FaultInjector | undefined) {
  const now = new Date();
  const entries = requestEntries(body);
  const fault = faults?.roll("publish") ? (faults.random() < 0.5 ? "whole" : "entries") : undefined;
  if (fault === "whole") throw new InjectedFault("publish", "PutEvents failed as a whole");
  const failing = new Set<number>();
  if (fault === "entries") {
    // Some entries fail, at least one: each with even odds, else one picked at random.
    entries.forEach((_, i) => (faults!.random() < 0.5 ? failing.add(i) : undefined));
    if (failing.size === 0) failing.add(Math.floor(faults!.random() * entries.length));
  }
  const checked = entries.map((entry, i) =>
    failing.has(i)
      ? { ok: false as const, ErrorCode: "InternalFailure", ErrorMessage: "injected publish fault: this entry failed" }
      : checkEntry(entry, knownBuses, now),
  );
  const results = checked.map((check) => (check.ok ? { bus: check.bus, event: envelope(check.entry) } : check));
  // The default bus exists on AWS too; it has no rules and no archive here.
  await bus.put(results.flatMap((r) => ("event" in r && r.bus === resources.eventBus ? [r.event] : [])));
  const Entries = results.map((r) =>
    "event" in r ? { EventId: r.event.id } : { ErrorCode: r.ErrorCode, ErrorMessage: r.ErrorMessage },
  );
  return { FailedEntryCount: Entries.filter((e) => "ErrorCode" in e).length, Entries };
}

function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/x-amz-json-1.1",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  });
  res.end(text);
}
