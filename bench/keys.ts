/**
 * Writes per key, counted at the edge, and the key *kinds* they fall into.
 *
 * The meters record each write against its concrete key (`key|<store>|<key>|w`): a
 * DynamoDB partition key of a table (`dynamodb:<table>`) or of a global secondary index
 * (`dynamodb:<table>/<index key attribute>`), in write units, or an S3 object key
 * (`s3:<bucket>`), in PUT requests. `patternOf` maps a concrete key to its kind
 * (`channel-<channelId>`, `claim#idem#<userId>#<key>`, `pending#<shard>`,
 * `channel/<gen>/channels/<channelId>/head.json` …) and `writesByPattern` sums a phase's
 * counts by kind, keeping what the hottest single key of each kind took: AWS's limits are
 * per key, so that, not the kind's total, is what a kind can carry.
 */
import { eventTable } from "../functions/adapters/eventTable";
import { projectionNames } from "../functions/domain/routes";
import type { Counters, Counts } from "./counters";

export type Role = "channelId" | "userId";

/** Placeholders whose values grow with the system (channels, people, messages): a key holding one scales out. */
const spreading = ["<channelId>", "<userId>", "<messageId>", "<key>", "<name>", "<id>"];

interface Shape {
  template: string;
  /** For a key kind with a fixed number of keys (a sharded key): how many. */
  shards?: number;
}

/** Key kinds the design declares (eventTable.ts, appendEvent.ts, dynamoConnectionStore.ts); others are named generically. */
const shapes: Shape[] = [
  { template: "channel-<channelId>" },
  { template: "user-<userId>" },
  { template: `${eventTable.snapshotPartsPrefix}channel-<channelId>#<version>` },
  { template: `${eventTable.snapshotPartsPrefix}channel-<channelId>#set#<version>` },
  { template: `${eventTable.snapshotPartsPrefix}user-<userId>#<version>` },
  { template: `${eventTable.claimPrefix}idem#<userId>#<key>` },
  { template: `${eventTable.claimPrefix}message#<channelId>#<messageId>` },
  { template: `${eventTable.claimPrefix}deleted#<channelId>#<messageId>` },
  { template: `${eventTable.claimPrefix}name#<name>` },
  { template: `${eventTable.readMarksPrefix}<userId>` },
  // The outbox index key of the versions before the table's stream (32 shards): no write
  // takes it now; kept so that a key shared by sharding is still derived right (tests).
  { template: "pending#<shard>", shards: 32 },
  { template: "user#<userId>" },
  { template: "channel#<channelId>" },
];

const compiled = shapes.map((shape) => {
  const names: string[] = [];
  const source = shape.template
    .split(/(<[A-Za-z]+>)/)
    .map((part) => {
      const name = /^<([A-Za-z]+)>$/.exec(part)?.[1];
      if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(name);
      // Keys and names chosen by people may hold anything; ids and numbers stop at a separator.
      return name === "key" || name === "name" ? "(.+)" : "([^#/]+)";
    })
    .join("");
  return { shape, names, match: new RegExp(`^${source}$`) };
});

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Which ids are channels' and which are people's, learned from the keys that name them. */
export function learnIds(keys: Iterable<string>): Map<string, Role> {
  const ids = new Map<string, Role>();
  for (const key of keys) {
    for (const { names, match } of compiled) {
      const found = match.exec(key);
      if (!found) continue;
      names.forEach((name, i) => {
        if (name === "channelId" || name === "userId") ids.set(found[i + 1] as string, name);
      });
      break;
    }
  }
  return ids;
}

/** The kind of a concrete key: its ids and numbers replaced by placeholders. */
export function patternOf(key: string, ids: ReadonlyMap<string, Role> = new Map()): string {
  for (const { shape, match } of compiled) if (match.test(key)) return shape.template;
  const segments = key.split("/");
  // Views live under `<projection>/<generation>/` (generations.ts).
  if (segments.length > 2 && (projectionNames as readonly string[]).includes(segments[0] as string)) segments[1] = "<gen>";
  return segments
    .join("/")
    .replace(uuid, (id) => `<${ids.get(id.toLowerCase()) ?? ids.get(id) ?? "id"}>`)
    .replace(/(^|[#/.-])\d+(?=$|[#/.-])/g, "$1<n>")
    .replace(/\/pages\/<n>/, "/pages/<page>");
}

/** What the key kind scales with: out with the system (a key per channel, person, message), over a fixed number of shards, or not at all. */
export function scopeOf(pattern: string): { shared: false } | { shared: true; shards: number } {
  if (spreading.some((p) => pattern.includes(p))) return { shared: false };
  return { shared: true, shards: shapes.find((s) => s.template === pattern)?.shards ?? 1 };
}

const escape = (key: string) => key.replace(/%/g, "%25").replace(/\|/g, "%7C");
const unescape = (key: string) => key.replace(/%7C/g, "|").replace(/%25/g, "%");

/** Records `amount` writes to one concrete key of a store (write units, or PUT requests), and whether a condition refused them. */
export function countKeyWrite(counters: Counters, store: string, key: string, amount: number, refused = false): void {
  counters.add(`key|${store}|${escape(key)}|w`, amount);
  if (refused) counters.add(`key|${store}|${escape(key)}|r`, amount);
}

/** Records one conditional S3 PUT and how long it took at the edge. */
export function countConditionalPut(counters: Counters, store: string, ms: number): void {
  counters.add(`keyput|${store}|conditional|n`);
  counters.add(`keyput|${store}|conditional|ms`, ms);
}

/** Mean duration of the conditional PUTs in a phase's counts (0 if none). */
export function conditionalPutMs(counts: Counts): number {
  let n = 0;
  let ms = 0;
  for (const [name, value] of Object.entries(counts)) {
    if (!name.startsWith("keyput|")) continue;
    if (name.endsWith("|conditional|n")) n += value;
    else if (name.endsWith("|conditional|ms")) ms += value;
  }
  return n > 0 ? ms / n : 0;
}

export interface PatternWrites {
  store: string;
  pattern: string;
  /** Distinct concrete keys of this kind written. */
  keys: number;
  /** All writes to keys of this kind, and those a condition refused. */
  writes: number;
  refused: number;
  /** The most any single key of this kind took: all writes, and those that took effect. */
  maxKeyWrites: number;
  maxKeyWritesTookEffect: number;
}

/** A phase's writes per key kind, hottest single key first. */
export function writesByPattern(counts: Counts): PatternWrites[] {
  const perKey = new Map<string, { store: string; key: string; writes: number; refused: number }>();
  for (const [name, amount] of Object.entries(counts)) {
    const parts = name.split("|");
    if (parts.length !== 4 || parts[0] !== "key" || (parts[3] !== "w" && parts[3] !== "r")) continue;
    const id = `${parts[1]}|${parts[2]}`;
    const found = perKey.get(id) ?? perKey.set(id, { store: parts[1] as string, key: unescape(parts[2] as string), writes: 0, refused: 0 }).get(id)!;
    if (parts[3] === "w") found.writes += amount;
    else found.refused += amount;
  }
  const ids = learnIds([...perKey.values()].map((k) => k.key));
  const byPattern = new Map<string, PatternWrites>();
  for (const { store, key, writes, refused } of perKey.values()) {
    const pattern = patternOf(key, ids);
    const id = `${store}|${pattern}`;
    const found = byPattern.get(id) ?? byPattern.set(id, { store, pattern, keys: 0, writes: 0, refused: 0, maxKeyWrites: 0, maxKeyWritesTookEffect: 0 }).get(id)!;
    found.keys += 1;
    found.writes += writes;
    found.refused += refused;
    found.maxKeyWrites = Math.max(found.maxKeyWrites, writes);
    found.maxKeyWritesTookEffect = Math.max(found.maxKeyWritesTookEffect, writes - refused);
  }
  return [...byPattern.values()].sort((a, b) => b.maxKeyWrites - a.maxKeyWrites);
}
