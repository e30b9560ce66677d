import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eventTable } from "../../functions/adapters/eventTable";
import type { BundleArgs } from "./auth";
import { LambdaFunction, type PolicyStatement, type ResourceRef, type SharedResources, sharedSettings } from "./lambdaFunction";

/** DynamoDB Streams keeps a record 24 hours (not configurable). */
const streamRetentionSeconds = 24 * 60 * 60;

export interface PublisherArgs {
  function: BundleArgs;
  /** The event table, the bus and the views bucket (the adapters' settings; only the bus is written). */
  shared: SharedResources;
  /** The event table's stream (new images), from EventStore. */
  streamArn: pulumi.Input<string>;
  /** Stream records per invocation. Default 100 (the handler sends them to the bus ten at a time, in order). */
  batchSize?: number;
  /**
   * How old a record may get while the bus refuses it before Lambda gives up on it and
   * sends its description to the on-failure queue. Default 23 hours: under the stream's
   * 24, so Lambda itself discards the record (a documented path to the destination, and
   * the record can still be read from the stream for an hour), rather than the stream
   * trimming it under a batch that is still retrying.
   */
  maximumRecordAgeSeconds?: number;
  /** Days to keep the function's logs. Default 14. */
  logRetentionDays?: number;
}

/**
 * Principle 6, "nothing accepted is lost", through the table's stream: DynamoDB writes
 * every inserted item to the stream with the item itself, and this component's event
 * source mapping feeds the inserted events (`eventTable.streamFilter`: claims, snapshots,
 * read marks and TTL deletions never invoke it) to the publish function, which sends them
 * to the bus. A crash of the store after its append loses nothing, and no write is spent
 * on marking events.
 *
 * Order: one batch at a time per shard (parallelization factor 1), since Lambda keeps the
 * order of a DynamoDB shard's records only per item (partition and sort key) when it runs
 * batches of a shard side by side, and each event is an item of its own. A batch is never
 * split (bisecting would re-send a later event before an earlier one); the function
 * answers the first record the bus refused (ReportBatchItemFailures) and Lambda retries
 * from it, and from everything after it, without a retry limit. A record that outlives
 * `maximumRecordAgeSeconds` is described in the on-failure queue, which raises an alarm.
 */
export class Publisher extends pulumi.ComponentResource {
  public readonly handler: LambdaFunction;
  public readonly mapping: aws.lambda.EventSourceMapping;
  /** Descriptions of stream records that expired before the bus took them (shard, sequence numbers, times). */
  public readonly failureQueue: aws.sqs.Queue;
  public readonly failureQueueUrl: pulumi.Output<string>;

  constructor(name: string, args: PublisherArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:events:Publisher", name, {}, opts);
    const parent = { parent: this };
    const maximumRecordAgeSeconds = args.maximumRecordAgeSeconds ?? 23 * 60 * 60;
    if (maximumRecordAgeSeconds < 60 || maximumRecordAgeSeconds >= streamRetentionSeconds) {
      throw new Error(`Publisher ${name}: maximumRecordAgeSeconds must be at least 60 and under the stream's ${streamRetentionSeconds}.`);
    }

    // Kept 14 days (SQS's maximum), encrypted with SQS-managed keys, like every queue of the stack.
    this.failureQueue = new aws.sqs.Queue(`${name}-failures`, { messageRetentionSeconds: 14 * 24 * 60 * 60, sqsManagedSseEnabled: true }, parent);

    this.handler = new LambdaFunction(
      `${name}-events`,
      {
        ...args.function,
        description: "Sends the events the event table's stream carries to the bus, in order.",
        logRetentionDays: args.logRetentionDays,
        environment: sharedSettings(args.shared),
        statements: publisherPolicy(args.streamArn, args.shared.eventBus, this.failureQueue.arn),
      },
      parent,
    );

    this.mapping = new aws.lambda.EventSourceMapping(
      `${name}-from-stream`,
      {
        eventSourceArn: args.streamArn,
        functionName: this.handler.arn,
        // A mapping created after events were written still sends them (LATEST could skip some while it starts).
        startingPosition: "TRIM_HORIZON",
        batchSize: args.batchSize ?? 100,
        // Chat latency: invoke as soon as records are there.
        maximumBatchingWindowInSeconds: 0,
        filterCriteria: { filters: [{ pattern: JSON.stringify(eventTable.streamFilter) }] },
        functionResponseTypes: ["ReportBatchItemFailures"],
        parallelizationFactor: 1,
        bisectBatchOnFunctionError: false,
        maximumRetryAttempts: -1,
        maximumRecordAgeInSeconds: maximumRecordAgeSeconds,
        destinationConfig: { onFailure: { destinationArn: this.failureQueue.arn } },
      },
      parent,
    );

    this.failureQueueUrl = this.failureQueue.url;
    this.registerOutputs({ functionName: this.handler.functionName, mappingUuid: this.mapping.uuid, failureQueueUrl: this.failureQueueUrl });
  }
}

/**
 * The event source mapping reads the stream with the function's role (the four DynamoDB
 * Streams actions, on this stream only) and sends expired records' descriptions to the
 * on-failure queue with it too; the handler itself only puts events on the bus.
 */
function publisherPolicy(streamArn: pulumi.Input<string>, bus: ResourceRef, failureQueueArn: pulumi.Input<string>): PolicyStatement[] {
  return [
    {
      Sid: "ReadTableStream",
      Effect: "Allow",
      Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
      Resource: [streamArn],
    },
    { Sid: "Publish", Effect: "Allow", Action: ["events:PutEvents"], Resource: [bus.arn] },
    { Sid: "OnFailureDestination", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [failureQueueArn] },
  ];
}
