/**
 * DynamoDB Streams and the Lambda event source mapping that feeds the publisher, for
 * dynalite (which has no streams): what infra/aws/publisher.ts sets up on AWS.
 *
 * - The stream: every PutItem and BatchWriteItem put that dynalite answers 200 on the
 *   event table becomes a record with the item's new image, appended to
 *   `<dataDir>/table-stream/<table>.jsonl` before the caller gets its answer, so a record
 *   outlives a crash of the sandbox as the item does. Events are never overwritten, so a
 *   put is taken as an INSERT (the store's puts of events are conditional on the key
 *   being free).
 * - The mapping: records that pass `eventTable.streamFilter` go to the `publish` handler
 *   in order, in batches of up to `batchSize`, one batch at a time (one shard); a batch
 *   answering `batchItemFailures` is retried from the first failed record after a backoff
 *   (100 ms doubling to 2 s), forever, as the mapping on AWS retries until records expire.
 *   The file records how far the handler got (`{"consumed": n}` lines), so a restart goes
 *   on from there; it is compacted when everything has gone.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import path from "node:path";
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { eventTable } from "../../functions/adapters/eventTable";
import { errorMessage, resources, type SandboxContext } from "./context";
import { invokeLambda } from "./lambdaRuntime";

type Image = Record<string, AttributeValue>;
type Line = { record: DynamoDBRecord } | { consumed: number };

export interface TableStreamOptions {
  batchSize?: number;
  /** Backoff after a failed batch: from `firstRetryMs`, doubling, at most `maxRetryMs`. */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

export interface TableStream {
  /** Starts delivering (once the bus and the publisher's environment are up): until then records only accumulate. */
  startDelivery(): void;
  /** Resolves when no batch is running, or the one at the head waits for a retry (the bus refuses: nothing behind it can go either). */
  idle(): Promise<void>;
  /** Records not yet taken by the publisher: waiting, running or retrying. */
  backlog(): number;
  /** Retries waiting records now instead of after their backoff. */
  retryNow(): void;
  /**
   * Runs `write` with the stream off: what it puts is not recorded, as if written before the
   * stream was enabled (the benchmark seeds history so, straight into the table).
   */
  unrecorded<T>(write: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

const streamArn = `arn:aws:dynamodb:${resources.region}:${resources.account}:table/${resources.eventsTable}/stream/sandbox`;

export function startTableStream(ctx: SandboxContext, dynalite: Server, options: TableStreamOptions = {}): TableStream {
  const batchSize = options.batchSize ?? 100;
  const firstRetryMs = options.firstRetryMs ?? 100;
  const maxRetryMs = options.maxRetryMs ?? 2000;
  const file = path.join(ctx.dataDir, "table-stream", `${resources.eventsTable}.jsonl`);
  mkdirSync(path.dirname(file), { recursive: true });

  const pending: DynamoDBRecord[] = recover(file);
  let consumed = 0;
  let sequence = Date.now() * 1000;
  let running: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let wakeRetry: (() => void) | undefined;
  let retryMs = 0;
  let waiting = false;
  let delivering = false;
  let recording = true;
  let stopped = false;
  const idleWaiters = new Set<() => void>();

  const append = (line: Line) => appendFileSync(file, `${JSON.stringify(line)}\n`, "utf8");

  const record = (image: Image) => {
    const sequenceNumber = String(++sequence).padStart(21, "0");
    const streamRecord: DynamoDBRecord = {
      eventID: sequenceNumber,
      eventName: "INSERT",
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: resources.region,
      eventSourceARN: streamArn,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: { [eventTable.partitionKey]: image[eventTable.partitionKey]!, [eventTable.sortKey]: image[eventTable.sortKey]! },
        NewImage: image,
        SequenceNumber: sequenceNumber,
        SizeBytes: Buffer.byteLength(JSON.stringify(image)),
        StreamViewType: "NEW_IMAGE",
      },
    };
    append({ record: streamRecord });
    pending.push(streamRecord);
    kick();
  };

  const isIdle = () => !running || waiting;
  const notifyIdle = () => {
    if (!isIdle()) return;
    for (const wake of idleWaiters) wake();
    idleWaiters.clear();
  };

  const deliver = async () => {
    while (!stopped && pending.length > 0) {
      const batch = pending.slice(0, batchSize);
      const wanted = batch.filter((r) => matches(eventTable.streamFilter, r));
      let failedAt = -1;
      try {
        const answer = wanted.length === 0 ? { batchItemFailures: [] } : await invokeLambda<DynamoDBStreamEvent, DynamoDBBatchResponse>("publish", ctx.handlers.publish, { Records: wanted });
        const failures = answer?.batchItemFailures ?? [];
        if (failures.length > 0) {
          // As on AWS: retried from the earliest record named; an identifier that names none of
          // the batch's (empty, null, unknown) fails the whole batch rather than passing it.
          const named = failures.map((f) => batch.findIndex((r) => !!f.itemIdentifier && r.dynamodb?.SequenceNumber === f.itemIdentifier));
          failedAt = named.some((i) => i < 0) ? 0 : Math.min(...named);
        }
      } catch (error) {
        // A crash or timeout fails the whole batch, as on AWS.
        ctx.log("error", `table stream: the publisher failed: ${errorMessage(error)}`);
        failedAt = 0;
      }
      const done = failedAt < 0 ? batch.length : failedAt;
      if (done > 0) {
        pending.splice(0, done);
        consumed += done;
        append({ consumed });
      }
      if (failedAt < 0) {
        retryMs = 0;
        continue;
      }
      retryMs = Math.min(retryMs === 0 ? firstRetryMs : retryMs * 2, maxRetryMs);
      waiting = true;
      notifyIdle();
      await new Promise<void>((resolve) => {
        wakeRetry = resolve;
        retryTimer = setTimeout(resolve, retryMs);
      });
      waiting = false;
      wakeRetry = undefined;
    }
    if (pending.length === 0) compact();
  };

  const kick = () => {
    if (running || stopped || !delivering) return;
    running = deliver().finally(() => {
      running = undefined;
      notifyIdle();
      if (pending.length > 0 && !stopped) kick();
    });
  };

  /** Starts the file afresh once everything in it has gone (atomically: a new file renamed over it). */
  const compact = () => {
    if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) < 1 << 20) return;
    writeFileSync(`${file}.tmp`, "", "utf8");
    renameSync(`${file}.tmp`, file);
    consumed = 0;
  };

  interceptPuts(dynalite, (images) => {
    if (recording) for (const image of images) record(image);
  });
  if (pending.length > 0) {
    // Records the last run left: start a fresh file with only those, then deliver them.
    writeFileSync(`${file}.tmp`, pending.map((r) => `${JSON.stringify({ record: r })}\n`).join(""), "utf8");
    renameSync(`${file}.tmp`, file);
    sequence = Math.max(sequence, ...pending.map((r) => Number(r.dynamodb?.SequenceNumber ?? 0)));
    ctx.log("info", `table stream: ${pending.length} event(s) stored before the last stop go to the bus now`);
  } else {
    writeFileSync(file, "", "utf8");
  }

  return {
    startDelivery() {
      delivering = true;
      kick();
    },
    idle: () => (isIdle() ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.add(resolve))),
    backlog: () => pending.length,
    retryNow() {
      if (!waiting) return;
      clearTimeout(retryTimer);
      waiting = false; // busy from now: idle() waits for the retry's outcome
      wakeRetry?.();
    },
    async unrecorded(write) {
      recording = false;
      try {
        return await write();
      } finally {
        recording = true;
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      wakeRetry?.();
      await running;
      for (const wake of idleWaiters) wake();
    },
  };
}

/** The records a previous run left undelivered: those after its last `consumed` mark. */
function recover(file: string): DynamoDBRecord[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const records: DynamoDBRecord[] = [];
  let consumed = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let parsed: Line;
    try {
      parsed = JSON.parse(line) as Line;
    } catch {
      continue; // half a line: the sandbox died while writing it, before answering its put
    }
    if ("record" in parsed) records.push(parsed.record);
    else consumed = parsed.consumed;
  }
  return records.slice(consumed);
}

/**
 * Lambda event filtering, for the patterns the filter uses: nested objects whose leaves are
 * lists of allowed values (strings) or `{ exists }`.
 */
export function matches(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((allowed) => (typeof allowed === "object" && allowed !== null && "exists" in allowed ? (value !== undefined) === (allowed as { exists: boolean }).exists : value === allowed));
  }
  if (typeof pattern !== "object" || pattern === null) return false;
  const object = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  return Object.entries(pattern).every(([key, inner]) => matches(inner, object[key]));
}

/** Calls `onPut` with the items of each PutItem / BatchWriteItem put on the event table that dynalite answers 200, before the answer goes out. */
function interceptPuts(server: Server, onPut: (images: Image[]) => void): void {
  const listeners = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const op = String(req.headers["x-amz-target"] ?? "").split(".")[1];
    if (op === "PutItem" || op === "BatchWriteItem") {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        if (res.statusCode === 200) {
          try {
            onPut(putImages(op, JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>));
          } catch (error) {
            // The item is stored: losing its record would lose the event for the bus.
            res.statusCode = 500;
            return end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: `table stream: ${errorMessage(error)}` }));
          }
        }
        return end(...args);
      }) as typeof res.end;
    }
    for (const listener of listeners) listener.call(server, req, res);
  });
}

function putImages(op: string, request: Record<string, unknown>): Image[] {
  if (op === "PutItem") return request.TableName === resources.eventsTable ? [request.Item as Image] : [];
  const writes = ((request.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Image } }[]>)[resources.eventsTable] ?? [];
  // BatchWriteItem answers 200 with UnprocessedItems it did not write; dynalite writes them all.
  return writes.flatMap((w) => (w.PutRequest ? [w.PutRequest.Item] : []));
}
