/**
 * The keys a role may touch, as IAM condition patterns built from the code's own key
 * builders, so a policy and the code that writes the keys cannot drift apart:
 * `dynamodb:LeadingKeys` (the event table's `pk`) and `s3:prefix` (the views bucket).
 */
import { eventTable } from "../../functions/adapters/eventTable";
import { channelStream, userStream } from "../../functions/domain/events";
import { generationsKey } from "../../functions/usecases/generations";

/** Partition keys of the event table, by kind: claims, and the events and snapshots of each kind of stream. */
export const tableKeys = {
  claims: `${eventTable.claimPrefix}*`,
  channelStreams: channelStream("*"),
  userStreams: userStream("*"),
  readMarks: `${eventTable.readMarksPrefix}*`,
  snapshotParts: `${eventTable.snapshotPartsPrefix}*`,
  apps: `${eventTable.appPrefix}*`,
  appsOfUsers: `${eventTable.appsOfUserPrefix}*`,
  botTokens: `${eventTable.botTokenPrefix}*`,
  webhooks: `${eventTable.webhookPrefix}*`,
} as const;

/** Item actions only on items whose partition key matches one of `patterns`. */
export function partitionKeysLike(patterns: string[]): Record<string, Record<string, string[]>> {
  return { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": patterns } };
}

/**
 * The view keys a function of these projections reads or writes: each one's generations
 * (`<projection>/<generation>/…`, functions/usecases/generations.ts) and the pointer
 * `generations.json`. Object ARNs are `<bucketArn>/<key>`.
 */
export function viewKeysOf(projections: readonly string[]): string[] {
  return [...projections.map((projection) => `${projection}/*`), generationsKey];
}

/**
 * `s3:ListBucket` only under `keys`. A function that reads views needs ListBucket so that a
 * view not written yet is a 404 rather than a 403; S3 decides that by checking ListBucket
 * with `s3:prefix` set to the key asked for, so listing under its own keys is enough.
 */
export function listingUnder(keys: string[]): Record<string, Record<string, string[]>> {
  return { StringLike: { "s3:prefix": keys } };
}
