/** What the store and views functions' roles allow, from what their code calls; the Slack and apps functions build on them. */
import * as pulumi from "@pulumi/pulumi";
import { listingUnder, partitionKeysLike, tableKeys, viewKeysOf } from "./keyPatterns";
import type { PolicyStatement, SharedResources } from "./lambdaFunction";

/**
 * The store handler: claims (get, create, take over, complete, release), snapshots (and
 * their parts) and the stream (read, append), read marks (put, update: never read back
 * here). It deletes nothing but a claim it gives up, updates no event, and publishes
 * nothing: the table's stream carries every appended event to the bus (the Publisher).
 */
export function storePolicy(args: SharedResources): PolicyStatement[] {
  return appendPolicy(args, { putAlso: [tableKeys.readMarks], updateAlso: [tableKeys.readMarks] });
}

/**
 * What appending an event needs (usecases/appendEvent.ts), for the store and for every
 * other function that writes through it; `putAlso`/`updateAlso`: more keys the caller puts
 * or updates itself, in the same statements.
 */
export function appendPolicy(args: SharedResources, more: { getAlso?: string[]; putAlso?: string[]; updateAlso?: string[]; deleteAlso?: string[] } = {}): PolicyStatement[] {
  const streamsAndClaims = [tableKeys.claims, tableKeys.channelStreams, tableKeys.userStreams];
  const keyed = (Sid: string, action: string, keys: string[]): PolicyStatement => ({
    Sid,
    Effect: "Allow",
    Action: [action],
    Resource: [args.eventTable.arn],
    Condition: partitionKeysLike(keys),
  });
  return [
    keyed("ReadStreams", "dynamodb:Query", [tableKeys.channelStreams, tableKeys.userStreams, tableKeys.snapshotParts]),
    keyed("GetItems", "dynamodb:GetItem", [...streamsAndClaims, ...(more.getAlso ?? [])]),
    keyed("PutItems", "dynamodb:PutItem", [...streamsAndClaims, tableKeys.snapshotParts, ...(more.putAlso ?? [])]),
    keyed("UpdateItems", "dynamodb:UpdateItem", [tableKeys.claims, ...(more.updateAlso ?? [])]),
    keyed("ReleaseClaims", "dynamodb:DeleteItem", [tableKeys.claims, ...(more.deleteAlso ?? [])]),
  ];
}

/**
 * The views handler reads views (the projections' and the generations pointer) and the
 * caller's read marks; on an account's first call it also records `user_registered` when
 * the confirmation trigger did not (exists, append), all in the caller's own `user-<id>`
 * stream. The table's stream carries that event to the bus.
 */
export function viewsPolicy(args: SharedResources, projections: readonly string[]): PolicyStatement[] {
  const keys = viewKeysOf(projections);
  return [
    { Sid: "ReadViews", Effect: "Allow", Action: ["s3:GetObject"], Resource: keys.map((key) => pulumi.interpolate`${args.viewsBucket.arn}/${key}`) },
    // Without ListBucket, S3 answers 403 instead of 404 for a view not written yet.
    { Sid: "MissingViewIs404", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [args.viewsBucket.arn], Condition: listingUnder(keys) },
    {
      Sid: "RegisterOnFirstCall",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
      Resource: [args.eventTable.arn],
      Condition: partitionKeysLike([tableKeys.userStreams]),
    },
    { Sid: "ReadMarks", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [args.eventTable.arn], Condition: partitionKeysLike([tableKeys.readMarks]) },
  ];
}

/**
 * The Slack API's function: the store's use case for writes (as the store's role has them;
 * it sets no read marks) and the views' reads (the caller's own read marks among them, as
 * GET /views/users/me reads them).
 */
export function slackPolicy(args: SharedResources, projections: readonly string[]): PolicyStatement[] {
  return [...appendPolicy(args), ...viewsPolicy(args, projections).filter((s) => s.Sid !== "RegisterOnFirstCall")];
}

/** What GET /search reads: the views it searches and authorizes by, and a private channel's stream past its head (a leave the head does not show yet). */
const searchedViews = ["channel", "directory", "user", "search"];

export function searchPolicy(args: SharedResources): PolicyStatement[] {
  const keys = viewKeysOf(searchedViews);
  return [
    { Sid: "ReadViews", Effect: "Allow", Action: ["s3:GetObject"], Resource: keys.map((key) => pulumi.interpolate`${args.viewsBucket.arn}/${key}`) },
    { Sid: "MissingViewIs404", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [args.viewsBucket.arn], Condition: listingUnder(keys) },
    { Sid: "ReadChannelStreams", Effect: "Allow", Action: ["dynamodb:Query"], Resource: [args.eventTable.arn], Condition: partitionKeysLike([tableKeys.channelStreams]) },
  ];
}
