/**
 * Which partition keys a DynamoDB write request writes, and how many write units each
 * takes: the table's partition key of every item written (PutItem, UpdateItem, DeleteItem,
 * BatchWriteItem, TransactWriteItems), and the partition key of each global secondary
 * index whose key attribute the write sets, changes or removes (a GSI key takes the same
 * 1,000 units a second as a table's). The index keys of an item are remembered from the
 * writes that set them, so a later REMOVE or delete is charged to the key it leaves.
 */

/** One write to one partition key: `store` is `dynamodb:<table>` or `dynamodb:<table>/<index key attribute>`. */
export interface KeyWrite {
  store: string;
  key: string;
  units: number;
  /** A conditional write its condition refused: billed, and taken from the key's throughput, but nothing written. */
  refused?: true;
}

type Item = Record<string, unknown>;
type Outcome = "ok" | "conditionFailed" | "error";

export class DynamoKeyWrites {
  /** `<table>|<pk>|<sk>` → the index key values that item holds. */
  private readonly indexed = new Map<string, Record<string, string>>();

  constructor(
    /** Attribute names that key a global secondary index, per table (as the DynamoDB meter has them). */
    private readonly indexKeys: Record<string, string[]>,
    /** Write units of a whole item (DynamoDB's size rule). */
    private readonly unitsOf: (item: Item) => number,
    private readonly partitionKey = "pk",
    private readonly sortKey = "sk",
  ) {}

  /**
   * The writes of one request. `consumed` is the request's own ConsumedCapacity (the
   * whole request's, so it is only used for single-item writes).
   */
  writes(op: string, request: Item, outcome: Outcome, consumed: number): KeyWrite[] {
    if (outcome === "error") return [];
    const table = String(request.TableName ?? "");
    const failed = outcome === "conditionFailed";
    switch (op) {
      case "PutItem": {
        const item = (request.Item ?? {}) as Item;
        const units = failed ? this.unitsOf(item) : consumed || this.unitsOf(item);
        if (failed) return [{ ...this.table(table, item, units), refused: true }];
        return [this.table(table, item, units), ...this.reindex(table, item, () => this.indexValues(table, item))];
      }
      case "UpdateItem":
      case "DeleteItem": {
        const key = (request.Key ?? {}) as Item;
        const units = failed ? 1 : consumed || 1;
        if (failed) return [{ ...this.table(table, key, units), refused: true }];
        const next = op === "DeleteItem" ? () => ({}) : (old: Record<string, string>) => applyUpdate(old, this.indexKeys[table] ?? [], request);
        return [this.table(table, key, units), ...this.reindex(table, key, next)];
      }
      case "BatchWriteItem":
        return outcome === "ok" ? this.batch(request) : [];
      case "TransactWriteItems":
        return outcome === "ok" ? this.transaction(request) : [];
      default:
        return [];
    }
  }

  private batch(request: Item): KeyWrite[] {
    const out: KeyWrite[] = [];
    for (const [table, requests] of Object.entries((request.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>)) {
      for (const r of requests) {
        if (r.PutRequest) out.push(this.table(table, r.PutRequest.Item, this.unitsOf(r.PutRequest.Item)), ...this.reindex(table, r.PutRequest.Item, () => this.indexValues(table, r.PutRequest!.Item)));
        else if (r.DeleteRequest) out.push(this.table(table, r.DeleteRequest.Key, 1), ...this.reindex(table, r.DeleteRequest.Key, () => ({})));
      }
    }
    return out;
  }

  /** A transaction bills two units per unit of each item it touches. */
  private transaction(request: Item): KeyWrite[] {
    const out: KeyWrite[] = [];
    for (const entry of (request.TransactItems ?? []) as Record<string, Item>[]) {
      const [kind, body] = Object.entries(entry)[0] ?? [];
      if (!kind || !body) continue;
      const table = String(body.TableName ?? "");
      if (kind === "Put") {
        const item = (body.Item ?? {}) as Item;
        out.push(this.table(table, item, 2 * this.unitsOf(item)), ...this.reindex(table, item, () => this.indexValues(table, item)));
      } else {
        const key = (body.Key ?? {}) as Item;
        out.push(this.table(table, key, 2));
        if (kind === "Delete") out.push(...this.reindex(table, key, () => ({})));
        if (kind === "Update") out.push(...this.reindex(table, key, (old) => applyUpdate(old, this.indexKeys[table] ?? [], body)));
      }
    }
    return out;
  }

  private table(table: string, item: Item, units: number): KeyWrite {
    return { store: `dynamodb:${table}`, key: scalar(item[this.partitionKey]), units };
  }

  private indexValues(table: string, item: Item): Record<string, string> {
    const values: Record<string, string> = {};
    for (const attribute of this.indexKeys[table] ?? []) if (item[attribute] !== undefined) values[attribute] = scalar(item[attribute]);
    return values;
  }

  /**
   * Index writes of an item going from its remembered index keys to `next(old)`: the old
   * key loses an entry, the new one gains one (a keys-only entry: one unit each).
   */
  private reindex(table: string, item: Item, next: (old: Record<string, string>) => Record<string, string>): KeyWrite[] {
    const attributes = this.indexKeys[table] ?? [];
    if (attributes.length === 0) return [];
    const id = `${table}|${scalar(item[this.partitionKey])}|${scalar(item[this.sortKey])}`;
    const old = this.indexed.get(id) ?? {};
    const now = next(old);
    const out: KeyWrite[] = [];
    for (const attribute of attributes) {
      if (old[attribute] === now[attribute]) continue;
      const store = `dynamodb:${table}/${attribute}`;
      if (old[attribute] !== undefined) out.push({ store, key: old[attribute], units: 1 });
      if (now[attribute] !== undefined) out.push({ store, key: now[attribute], units: 1 });
    }
    if (Object.keys(now).length > 0) this.indexed.set(id, now);
    else this.indexed.delete(id);
    return out;
  }
}

/**
 * The index key values after an UpdateExpression: `SET a = :v` and `REMOVE a` of the index
 * attributes (a value computed by a function is unknown: `?`).
 */
export function applyUpdate(old: Record<string, string>, attributes: readonly string[], request: Item): Record<string, string> {
  const names = (request.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (request.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  const resolve = (path: string) => path.trim().split(".").map((part) => names[part] ?? part).join(".");
  const next = { ...old };
  for (const [clause, body] of clauses(String(request.UpdateExpression ?? ""))) {
    for (const action of splitTopLevel(body)) {
      if (clause === "REMOVE") {
        const attribute = resolve(action);
        if (attributes.includes(attribute)) delete next[attribute];
      } else if (clause === "SET") {
        const at = action.indexOf("=");
        const attribute = resolve(action.slice(0, at));
        if (!attributes.includes(attribute)) continue;
        const value = action.slice(at + 1).trim();
        next[attribute] = /^:\w+$/.test(value) && values[value] !== undefined ? scalar(values[value]) : "?";
      }
    }
  }
  return next;
}

function clauses(expression: string): [string, string][] {
  const out: [string, string][] = [];
  const keyword = /\b(SET|REMOVE|ADD|DELETE)\b/gi;
  const marks = [...expression.matchAll(keyword)];
  marks.forEach((mark, i) => {
    const end = marks[i + 1]?.index ?? expression.length;
    out.push([mark[1]!.toUpperCase(), expression.slice(mark.index! + mark[0].length, end)]);
  });
  return out;
}

/** Splits on commas outside parentheses (`if_not_exists(a, :b)` stays whole). */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "(") depth++;
    else if (body[i] === ")") depth--;
    else if (body[i] === "," && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** A key attribute's value as a string: DynamoDB's wire form (`{ "S": "…" }`, `{ "N": "1" }`) or a plain value. */
function scalar(value: unknown): string {
  if (value && typeof value === "object") {
    const inner = Object.values(value as Record<string, unknown>)[0];
    return inner === undefined ? "" : String(inner);
  }
  return value === undefined ? "" : String(value);
}
