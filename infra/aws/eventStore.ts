import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eventTable } from "../../functions/adapters/eventTable";

export interface EventStoreArgs {
  /**
   * Refuse deletion (DynamoDB deletion protection, and `protect` on the table so
   * `pulumi destroy` stops before it). Default false.
   */
  deletionProtection?: boolean;
  /** Point-in-time recovery (35 days of continuous backups). Default true. */
  pointInTimeRecovery?: boolean;
}

/**
 * The event store: one DynamoDB table, on demand, holding every stream's events, the
 * decide-snapshots and the claims (see functions/adapters/eventTable.ts for the items).
 *
 * - Keys: `pk` (stream, a string) and `sk` (the event's `seq`, a number; 0 for a stream's
 *   snapshot and for claims).
 * - The sparse `unpublished` index holds only the events the bus has not confirmed yet
 *   (the store removes the attribute once PutEvents took the event); the re-publisher
 *   sweeps it on a schedule. It projects ALL attributes because the sweep re-sends the
 *   stored event from the index itself; being sparse, it costs next to nothing.
 * - TTL on `expiresAt` drops expired idempotency-key claims.
 */
export class EventStore extends pulumi.ComponentResource {
  public readonly table: aws.dynamodb.Table;
  public readonly tableName: pulumi.Output<string>;
  public readonly tableArn: pulumi.Output<string>;
  /** The ARN of the `unpublished` index, for the one policy that queries it. */
  public readonly unpublishedIndexArn: pulumi.Output<string>;

  constructor(name: string, args: EventStoreArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("chat:dynamodb:EventStore", name, {}, opts);
    const index = eventTable.unpublishedIndex;
    const deletionProtection = args.deletionProtection ?? false;

    this.table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: eventTable.partitionKey,
        rangeKey: eventTable.sortKey,
        attributes: [
          { name: eventTable.partitionKey, type: "S" },
          { name: eventTable.sortKey, type: "N" },
          { name: index.partitionKey, type: "S" },
          { name: index.sortKey, type: "S" },
        ],
        globalSecondaryIndexes: [
          {
            name: index.name,
            keySchemas: [
              { attributeName: index.partitionKey, keyType: "HASH" },
              { attributeName: index.sortKey, keyType: "RANGE" },
            ],
            // The sweep reads each event from the table: an index write then costs one unit, whatever the event's size.
            projectionType: "KEYS_ONLY",
          },
        ],
        ttl: { attributeName: eventTable.ttlAttribute, enabled: true },
        pointInTimeRecovery: { enabled: args.pointInTimeRecovery ?? true },
        serverSideEncryption: { enabled: false }, // encrypted at rest with the AWS-owned key (no KMS cost)
        deletionProtectionEnabled: deletionProtection,
      },
      { parent: this, protect: deletionProtection },
    );

    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
    this.unpublishedIndexArn = pulumi.interpolate`${this.table.arn}/index/${index.name}`;
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn, unpublishedIndexArn: this.unpublishedIndexArn });
  }
}
