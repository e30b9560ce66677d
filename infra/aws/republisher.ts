import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BundleArgs } from "./auth";
import { partitionKeysLike, tableKeys } from "./keyPatterns";
import { LambdaFunction, type PolicyStatement, type SharedResources, sharedSettings } from "./lambdaFunction";

export interface RepublisherArgs {
  function: BundleArgs;
  /** The event table, the bus and the views bucket. */
  shared: SharedResources;
  /** The ARN of the event table's `unpublished` index, the one thing it queries. */
  unpublishedIndexArn: pulumi.Input<string>;
  /** When to sweep (EventBridge Scheduler expression). Default `rate(1 minute)`. */
  schedule?: string;
  /** Days to keep the function's logs. Default 14. */
  logRetentionDays?: number;
}

/**
 * Principle 6, "nothing accepted is lost": the store can die between writing an event and
 * publishing it, or PutEvents can refuse an entry. Such events keep the `unpublished`
 * attribute, so they sit in the sparse index until this function, run on a schedule,
 * publishes them again and clears the mark. A missed tick is harmless (the next one
 * sweeps the same index), so the schedule does not retry.
 */
export class Republisher extends pulumi.ComponentResource {
  public readonly handler: LambdaFunction;
  public readonly schedule: aws.scheduler.Schedule;

  constructor(name: string, args: RepublisherArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:events:Republisher", name, {}, opts);
    const parent = { parent: this };

    this.handler = new LambdaFunction(
      `${name}-sweep`,
      {
        ...args.function,
        description: "Publishes stored events the bus never confirmed.",
        logRetentionDays: args.logRetentionDays,
        environment: sharedSettings(args.shared),
        statements: republishPolicy(args),
      },
      parent,
    );

    const invoker = new aws.iam.Role(
      `${name}-scheduler`,
      { assumeRolePolicy: pulumi.jsonStringify(assumedByScheduler()), description: "Lets EventBridge Scheduler run the re-publisher." },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-scheduler-invoke`,
      { role: invoker.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [invoke(this.handler.arn)] }) },
      parent,
    );
    this.schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        description: "Sweeps the event store's unpublished index.",
        scheduleExpression: args.schedule ?? "rate(1 minute)",
        flexibleTimeWindow: { mode: "OFF" },
        target: { arn: this.handler.arn, roleArn: invoker.arn, retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 } },
      },
      parent,
    );

    this.registerOutputs({ functionName: this.handler.functionName, scheduleName: this.schedule.name });
  }
}

/** The sweep: the unpublished index (Query, keys only), each event found (GetItem), the publish, the receipt (UpdateItem). */
function republishPolicy(args: RepublisherArgs): PolicyStatement[] {
  return [
    { Sid: "SweepUnpublished", Effect: "Allow", Action: ["dynamodb:Query"], Resource: [args.unpublishedIndexArn] },
    {
      Sid: "ReadAndMarkEvents",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      Resource: [args.shared.eventTable.arn],
      // Events live in streams; claims are never published.
      Condition: partitionKeysLike([tableKeys.channelStreams, tableKeys.userStreams]),
    },
    { Sid: "Publish", Effect: "Allow", Action: ["events:PutEvents"], Resource: [args.shared.eventBus.arn] },
  ];
}

function invoke(functionArn: pulumi.Output<string>): PolicyStatement {
  return { Sid: "RunSweep", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [functionArn] };
}

function assumedByScheduler() {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "scheduler.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
}
