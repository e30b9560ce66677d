/**
 * Which keys a handler's code can touch, read from the same walk as its calls (never
 * from the policies under test), and which keys a role's statements allow.
 *
 * - The event table holds claims (`claim#…`, written only by DynamoClaimStore), read marks
 *   (`readmarks#…`, only by DynamoReadMarkStore) and stream
 *   items (`<kind>-<id>`, only through DynamoEventStore). A stream id is built by one of
 *   the builders of functions/domain/events.ts (`channelStream`, `userStream`): a handler
 *   reaches the streams whose builders its code refers to, or every stream when it reads
 *   stored events (`EventStore.read`, `find`): the stream ids it then holds come from the
 *   store. That is the `dynamodb:LeadingKeys` a role's item actions need.
 * - The views bucket holds `generations.json` and `<projection>/<generation>/…`
 *   (functions/usecases/generations.ts). A function reads the pointer when its code refers
 *   to `generationsKey`, and the views of the projections its code names (a
 *   `ProjectionName` literal), or, when it serves the one projection its `PROJECTION`
 *   setting names, that projection's. That is what its `s3:ListBucket` (needed for a 404 on
 *   a missing key) may list, with `s3:prefix`, and where its object actions may reach.
 */
import { eventTable } from "../../../functions/adapters/eventTable";
import * as events from "../../../functions/domain/events";
import { generationsKey } from "../../../functions/usecases/generations";
import type { HandlerReach, SdkCall } from "./handlerCalls";
import { grantsFor } from "./iamActions";
import type { Statement } from "./stackQueries";
import { list } from "./stackQueries";

/** The item actions whose keys are checked (Query reads whole streams and is left to the action check). */
export const keyedItemActions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"] as const;

const claimKeys = `${eventTable.claimPrefix}*`;
const appKeys = [`${eventTable.appPrefix}*`, `${eventTable.appsOfUserPrefix}*`];
const botTokenKeys = `${eventTable.botTokenPrefix}*`;
const webhookKeys = `${eventTable.webhookPrefix}*`;
const readMarkKeys = `${eventTable.readMarksPrefix}*`;
export const snapshotPartKeys = `${eventTable.snapshotPartsPrefix}*`;
/** `channel-*`, `user-*`: each builder's ids, whatever the id. */
const streamKeysByBuilder: Record<string, string> = Object.fromEntries(
  Object.entries(events)
    .filter(([name, value]) => name.endsWith("Stream") && typeof value === "function")
    .map(([name, build]) => [name, (build as (id: string) => string)("*")]),
);
const allStreamKeys = Object.values(streamKeysByBuilder).sort();
/** Every kind of key the table holds. */
export const allTableKeys = [claimKeys, readMarkKeys, snapshotPartKeys, ...appKeys, botTokenKeys, webhookKeys, ...allStreamKeys].sort();

const readsStoredEvents = ["EventStore.read", "EventStore.find"];

/** The stream keys a handler's code can name. */
function streamKeysOf(reach: HandlerReach): string[] {
  if (reach.interfaceMembers.some((m) => readsStoredEvents.includes(m))) return allStreamKeys;
  const built = reach.references.filter((r) => r.startsWith("functions/domain/events.ts#")).map((r) => streamKeysByBuilder[r.split("#")[1]!]);
  return [...new Set(built.filter((k): k is string => k !== undefined))].sort();
}

/** The keys of the event table an SDK call can touch, or undefined for a call on another table. */
function tableKeysOf(call: SdkCall, reach: HandlerReach): string[] | undefined {
  switch (call.inClass) {
    case "DynamoClaimStore":
      return [claimKeys];
    case "DynamoReadMarkStore":
      return [readMarkKeys];
    // Apps (CONTRACT §13): an app and its creator's list; a bot's token by its hash; a webhook.
    case "DynamoAppStore":
      return appKeys;
    case "DynamoBotTokenStore":
      return [botTokenKeys];
    case "DynamoWebhookStore":
      return [webhookKeys];
    case "DynamoEventStore":
      // A snapshot too large for one item is put in parts under keys of their own.
      return call.command === "PutCommand" && reach.interfaceMembers.includes("EventStore.writeSnapshot")
        ? [...streamKeysOf(reach), snapshotPartKeys].sort()
        : streamKeysOf(reach);
    // The connections table's: connections, presence and the memberships notify records.
    case "DynamoConnectionStore":
    case "DynamoMembershipStore":
      return undefined;
    default:
      throw new Error(`${call.at} calls DynamoDB from ${call.inClass ?? "outside a class"}: say which table and keys in test/infra/support/keyScopes.ts`);
  }
}

/** Per item action, the event-table keys (LeadingKeys patterns) the handler's code can touch. */
export function neededTableKeys(reach: HandlerReach): Map<string, string[]> {
  const needed = new Map<string, Set<string>>();
  for (const call of reach.calls) {
    if (!call.pkg.includes("dynamodb")) continue;
    const keys = tableKeysOf(call, reach);
    if (!keys) continue;
    for (const action of [...grantsFor([call])].map((grant) => grant.split("@")[0]!)) {
      if (!(keyedItemActions as readonly string[]).includes(action)) continue;
      const set = needed.get(action) ?? new Set<string>();
      for (const key of keys) set.add(key);
      needed.set(action, set);
    }
  }
  return new Map([...needed].map(([action, keys]) => [action, [...keys].sort()]));
}

/**
 * Per item action (or per one of `actions`), the event-table keys a role's statements allow on `tableArn`: the
 * `dynamodb:LeadingKeys` of a `ForAllValues:StringLike` condition, or every kind of key
 * without a condition. Any other condition is refused (this test would not understand it).
 */
export function allowedTableKeys(statements: Statement[], tableArn: string, actions: readonly string[] = keyedItemActions): Map<string, string[]> {
  const allowed = new Map<string, Set<string>>();
  for (const statement of statements) {
    if (statement.Effect !== "Allow" || !list(statement.Resource).includes(tableArn)) continue;
    const keys = leadingKeysOf(statement) ?? allTableKeys;
    for (const action of list(statement.Action)) {
      if (!actions.includes(action)) continue;
      const set = allowed.get(action) ?? new Set<string>();
      for (const key of keys) set.add(key);
      allowed.set(action, set);
    }
  }
  return new Map([...allowed].map(([action, keys]) => [action, [...keys].sort()]));
}

function leadingKeysOf(statement: Statement): string[] | undefined {
  if (!statement.Condition) return undefined;
  const operators = Object.keys(statement.Condition);
  const keys = statement.Condition["ForAllValues:StringLike"];
  if (operators.length !== 1 || !keys || Object.keys(keys).join() !== "dynamodb:LeadingKeys") {
    throw new Error(`${statement.Sid ?? "a statement"}: a condition this test does not read: ${JSON.stringify(statement.Condition)}`);
  }
  return list(keys["dynamodb:LeadingKeys"]);
}

/** The view keys (as `s3:prefix` / object ARN patterns) a function reads or writes. */
export function neededViewKeys(reach: HandlerReach, settings: Record<string, string>): string[] {
  const projections = reach.settings.includes("PROJECTION") ? [settings.PROJECTION!] : reach.projections;
  const keys = projections.map((p) => `${p}/*`);
  if (reach.references.includes("functions/usecases/generations.ts#generationsKey")) keys.push(generationsKey);
  return keys.sort();
}

/**
 * What a role may list in the bucket (`s3:prefix` of a `StringLike` condition on
 * `s3:ListBucket`; `*` without one), or undefined when it may not list at all.
 */
export function allowedListing(statements: Statement[], bucketArn: string): string[] | undefined {
  let allowed: Set<string> | undefined;
  for (const statement of statements) {
    if (statement.Effect !== "Allow" || !list(statement.Action).includes("s3:ListBucket") || !list(statement.Resource).includes(bucketArn)) continue;
    allowed ??= new Set<string>();
    for (const prefix of prefixesOf(statement)) allowed.add(prefix);
  }
  return allowed && [...allowed].sort();
}

function prefixesOf(statement: Statement): string[] {
  if (!statement.Condition) return ["*"];
  const operators = Object.keys(statement.Condition);
  const keys = statement.Condition.StringLike;
  if (operators.length !== 1 || !keys || Object.keys(keys).join() !== "s3:prefix") {
    throw new Error(`${statement.Sid ?? "a statement"}: a condition this test does not read: ${JSON.stringify(statement.Condition)}`);
  }
  return list(keys["s3:prefix"]);
}

/** The key patterns a role's object actions reach (`<bucketArn>/<pattern>`). */
export function allowedObjectKeys(statements: Statement[], bucketArn: string): string[] {
  const keys = new Set<string>();
  for (const statement of statements) {
    if (statement.Effect !== "Allow") continue;
    for (const resource of list(statement.Resource)) if (resource.startsWith(`${bucketArn}/`)) keys.add(resource.slice(bucketArn.length + 1));
  }
  return [...keys].sort();
}
