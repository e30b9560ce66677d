/**
 * What the proxies count, per service, at the local servers' edge.
 *
 * Keys (see counters.ts): `s3|<design>|<caller>|<view>|<op>|<outcome>|n|bytes`,
 * `ddb|<caller>|<table>|<op>|<outcome>|<metric>`, `events|<caller>|entries|bytes|chunks`.
 */
import type { IncomingHttpHeaders } from "node:http";
import { Counters } from "./counters";
import { DynamoKeyWrites } from "./dynamoKeys";
import { countConditionalPut, countKeyWrite } from "./keys";
import type { Exchange, Meter } from "./proxy";

// dynalite's own item-size rule (the one its ConsumedCapacity uses).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynaliteDb = require("dynalite/db") as { itemSize(item: unknown): number };

export const buckets = { ours: "chat-views", baseline: "chat-views-baseline" } as const;

export type S3Op = "put" | "get" | "head" | "list" | "delete" | "other";
export type Outcome = "ok" | "conflict" | "missing" | "error";

export interface S3Put {
  bucket: string;
  key: string;
  body: Buffer;
  status: number;
  at: number;
}

/** S3: requests and bytes by design (which bucket), caller, view, operation and outcome. */
export class S3Meter implements Meter {
  /** Told of every PUT (the lag probes watch a few keys). */
  readonly putListeners = new Set<(put: S3Put) => void>();

  constructor(private readonly counters: Counters) {}

  record(x: Exchange): void {
    const url = new URL(x.url, "http://s3");
    const [, rawBucket = "", ...rest] = url.pathname.split("/");
    const bucket = decodeURIComponent(rawBucket);
    const key = rest.map(decodeURIComponent).join("/");
    const design = bucket === buckets.ours ? "ours" : bucket === buckets.baseline ? "baseline" : "other";
    const op = s3Op(x.method, key, url, x.headers);
    const outcome = outcomeOf(x.status);
    const view = viewOf(design, key);
    const prefix = `s3|${design}|${x.caller}|${view}|${op}|${outcome}`;
    this.counters.add(`${prefix}|n`);
    const bytes = op === "put" ? x.requestBody.length : op === "get" ? x.responseBody.length : 0;
    this.counters.add(`${prefix}|bytes`, bytes);
    if (op === "put") for (const listen of this.putListeners) listen({ bucket, key, body: x.requestBody, status: x.status, at: x.answeredAt });
    // Per key: our design's objects only (the baseline is the talk's design, not ours to scale).
    if (op === "put" && design === "ours") {
      countKeyWrite(this.counters, `s3:${bucket}`, key, 1, outcome === "conflict");
      if (x.headers["if-match"] !== undefined || x.headers["if-none-match"] !== undefined) countConditionalPut(this.counters, `s3:${bucket}`, x.ms);
    }
  }
}

function s3Op(method: string, key: string, url: URL, headers: IncomingHttpHeaders): S3Op {
  if (method === "PUT") return key && !headers["x-amz-copy-source"] ? "put" : key ? "put" : "other";
  if (method === "GET") return key ? "get" : url.searchParams.has("location") ? "other" : "list";
  if (method === "HEAD") return "head";
  if (method === "DELETE" || (method === "POST" && url.searchParams.has("delete"))) return "delete";
  return "other";
}

function outcomeOf(status: number): Outcome {
  if (status < 400) return "ok";
  if (status === 409 || status === 412) return "conflict";
  if (status === 404) return "missing";
  return "error";
}

/** ours: `<projection>/<generation>/…` or generations.json; baseline: `views/<VIEW>/…`. */
function viewOf(design: string, key: string): string {
  if (!key) return "-";
  const parts = key.split("/");
  if (design === "baseline") return (parts[1] ?? parts[0] ?? "-").replace(/\.json$/, "");
  if (parts.length === 1) return (parts[0] ?? "-").replace(/\.json$/, "");
  return parts[0] ?? "-";
}

/**
 * DynamoDB: asks dynalite for ConsumedCapacity on every request (the handlers don't) and
 * counts it, plus what dynalite leaves out but DynamoDB bills (per its developer guide):
 * writes to the `unpublished` global secondary index, conditional writes that fail (they
 * consume write capacity too), and the minimum read unit of a read that finds nothing.
 */
export class DynamoMeter implements Meter {
  private readonly keys: DynamoKeyWrites;

  constructor(
    private readonly counters: Counters,
    /** Attribute names that key a global secondary index, per table. */
    private readonly indexKeys: Record<string, string[]>,
  ) {
    this.keys = new DynamoKeyWrites(indexKeys, writeUnits);
  }

  rewrite(_method: string, _url: string, headers: IncomingHttpHeaders, body: Buffer): Buffer | undefined {
    const op = String(headers["x-amz-target"] ?? "").split(".")[1];
    if (!op || !capacityOps.has(op)) return undefined;
    const request = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    if (request.ReturnConsumedCapacity === "TOTAL" || request.ReturnConsumedCapacity === "INDEXES") return undefined;
    return Buffer.from(JSON.stringify({ ...request, ReturnConsumedCapacity: "TOTAL" }));
  }

  record(x: Exchange): void {
    const op = String(x.headers["x-amz-target"] ?? "").split(".")[1] ?? "unknown";
    const request = safeJson(x.requestBody);
    const response = safeJson(x.responseBody);
    const table = String(request.TableName ?? (request.RequestItems ? Object.keys(request.RequestItems as object)[0] : "-"));
    const failedCondition = x.status === 400 && String(response.__type ?? "").endsWith("ConditionalCheckFailedException");
    const outcome = x.status === 200 ? "ok" : failedCondition ? "conditionFailed" : "error";
    const key = `ddb|${x.caller}|${table}|${op}|${outcome}`;
    this.counters.add(`${key}|n`);
    this.counters.add(`${key}|bytesIn`, x.requestBody.length);
    this.counters.add(`${key}|bytesOut`, x.responseBody.length);
    const reads = readOps.has(op);
    const consumed = capacityOf(response.ConsumedCapacity);
    if (x.status === 200) {
      this.counters.add(`${key}|${reads ? "rcu" : "wcu"}`, consumed);
      if (reads && consumed === 0) this.counters.add(`${key}|rcuMinimum`, request.ConsistentRead ? 1 : 0.5);
      this.counters.add(`${key}|wcuIndex`, this.indexWrites(op, table, request));
    } else if (failedCondition) {
      const item = request.Item as Record<string, unknown> | undefined;
      this.counters.add(`${key}|wcuFailed`, item ? writeUnits(item) : 1);
    }
    if (!reads) for (const w of this.keys.writes(op, request, outcome, consumed)) countKeyWrite(this.counters, w.store, w.key, w.units, w.refused);
  }

  /**
   * Index writes DynamoDB adds to a table write: a put or update that sets or removes an
   * index key. The indexes project keys only, so an index entry is billed at the size of
   * the table's and the index's keys (one unit), not the item's.
   */
  private indexWrites(op: string, table: string, request: Record<string, unknown>): number {
    const keys = this.indexKeys[table] ?? [];
    if (keys.length === 0) return 0;
    const entry = (item: Record<string, unknown>) => writeUnits(Object.fromEntries(Object.entries(item).filter(([k]) => k === "pk" || k === "sk" || keys.includes(k) || k === "timestamp")));
    if (op === "PutItem") {
      const item = (request.Item ?? {}) as Record<string, unknown>;
      return keys.some((k) => k in item) ? entry(item) : 0;
    }
    if (op === "UpdateItem") {
      const names = Object.values((request.ExpressionAttributeNames ?? {}) as Record<string, string>);
      const expression = String(request.UpdateExpression ?? "");
      const touched = keys.some((k) => names.includes(k) || expression.includes(k));
      return touched ? 1 : 0;
    }
    if (op === "BatchWriteItem") {
      let units = 0;
      for (const writes of Object.values((request.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Record<string, unknown> } }[]>)) {
        for (const w of writes) if (w.PutRequest && keys.some((k) => k in w.PutRequest!.Item)) units += entry(w.PutRequest.Item);
      }
      return units;
    }
    return 0;
  }
}

const readOps = new Set(["GetItem", "Query", "Scan", "BatchGetItem"]);
const capacityOps = new Set(["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem"]);

const writeUnits = (item: Record<string, unknown>) => Math.max(1, Math.ceil(dynaliteDb.itemSize(item) / 1024));

function capacityOf(consumed: unknown): number {
  if (Array.isArray(consumed)) return consumed.reduce((sum: number, c) => sum + capacityOf(c), 0);
  if (consumed && typeof consumed === "object") return Number((consumed as { CapacityUnits?: number }).CapacityUnits ?? 0);
  return 0;
}

function safeJson(body: Buffer): Record<string, unknown> {
  try {
    return body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** EventBridge: PutEvents entries, their bytes and 64 KB billing chunks, by caller. */
export class EventsMeter implements Meter {
  constructor(private readonly counters: Counters) {}

  record(x: Exchange): void {
    const target = String(x.headers["x-amz-target"] ?? "");
    if (!target.endsWith("PutEvents")) {
      this.counters.add(`events|${x.caller}|other|n`);
      return;
    }
    const request = safeJson(x.requestBody);
    const response = safeJson(x.responseBody);
    const entries = (request.Entries ?? []) as Record<string, unknown>[];
    this.counters.add(`events|${x.caller}|putEvents|n`);
    this.counters.add(`events|${x.caller}|entries|n`, entries.length);
    this.counters.add(`events|${x.caller}|failed|n`, Number(response.FailedEntryCount ?? 0));
    for (const entry of entries) {
      const bytes = Buffer.byteLength(JSON.stringify(entry));
      this.counters.add(`events|${x.caller}|bytes|n`, bytes);
      this.counters.add(`events|${x.caller}|chunks|n`, Math.max(1, Math.ceil(bytes / 65536)));
    }
  }
}
