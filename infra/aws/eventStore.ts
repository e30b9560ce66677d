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
 *   snapshot and for claims). No secondary index: every key an event writes is its own
 *   stream's, so no key carries the whole system's traffic.
 * - The table's stream (DynamoDB Streams, new images) is the outbox: DynamoDB writes each
 *   inserted item to it with the item itself, and the Publisher sends the events among
 *   them to the bus. It costs no write unit, and its records live 24 hours.
 * - TTL on `expiresAt` drops expired idempotency-key claims and snapshot parts.
 */
export class EventStore extends pulumi.ComponentResource {
  public readonly table: aws.dynamodb.Table;
  public readonly tableName: pulumi.Output<string>;
  public readonly tableArn: pulumi.Output<string>;
  /** The ARN of the table's stream, which the Publisher's event source mapping reads. */
  public readonly streamArn: pulumi.Output<string>;

  constructor(name: string, args: EventStoreArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("chat:dynamodb:EventStore", name, {}, opts);
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
        ],
        // The publisher needs the inserted item only (its `event`); nothing updates an event.
        streamEnabled: true,
        streamViewType: "NEW_IMAGE",
        ttl: { attributeName: eventTable.ttlAttribute, enabled: true },
        pointInTimeRecovery: { enabled: args.pointInTimeRecovery ?? true },
        serverSideEncryption: { enabled: false }, // encrypted at rest with the AWS-owned key (no KMS cost)
        deletionProtectionEnabled: deletionProtection,
      },
      { parent: this, protect: deletionProtection },
    );

    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
    this.streamArn = this.table.streamArn;
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn, streamArn: this.streamArn });
  }
}
