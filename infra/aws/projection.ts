import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { generationsKey } from "../../functions/usecases/generations";
import { listingUnder, viewKeysOf } from "./keyPatterns";
import { LambdaFunction, type PolicyStatement, type SharedResources, sharedSettings } from "./lambdaFunction";

/** The view projection function a Projection builds when it is not given a target. */
export interface ViewProjectionArgs {
  /** The shared projection bundle (`dist/functions/projection`); this projection's name goes in `PROJECTION`. */
  bundleDir: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** The event table (read to catch up), the bus and the views bucket (written). */
  shared: SharedResources;
  /** Days to keep the function's logs. Default 14. */
  logRetentionDays?: number;
}

interface ProjectionCommonArgs {
  /** The bus the store publishes to. */
  eventBus: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
  /** The `source` of the store's events. */
  eventSource: string;
  /** The event types this projection receives: its entry of the routing table. */
  detailTypes: readonly string[];
  /** How long EventBridge keeps retrying delivery before the event goes to the dead-letter queue. Default 24 h. */
  maximumEventAgeSeconds?: number;
  /** How many times EventBridge retries delivery. Default 185 (EventBridge's own maximum). */
  maximumRetryAttempts?: number;
  /** How many times Lambda retries a failed asynchronous invocation before the on-failure destination. Default 2. */
  functionRetryAttempts?: number;
}

/**
 * Either a view projection built here (`views`), or a `target` function another component
 * built with the permissions its handler needs (the Realtime's notify function).
 */
export type ProjectionArgs = ProjectionCommonArgs & ({ views: ViewProjectionArgs } | { target: LambdaFunction });

/**
 * One entry of the routing table on AWS: the function, the rules that deliver its event
 * types to it, and the places where nothing can get lost.
 *
 * Two rules, because of replays. A replay from the archive re-sends old events to the
 * bus with `replay-name` set. The live rule matches `"replay-name": [{"exists": false}]`,
 * so a replay never reaches a projection that is not being rebuilt. The replay rule
 * matches only replayed events (`exists: true`), and a StartReplay names in `FilterArns`
 * the replay rules of the projections to rebuild, so EventBridge hands the replay to
 * those rules alone. Without the split, a replay for one projection would either be
 * dropped by the live rules or be delivered to every projection.
 *
 * Both targets retry (retry policy) and then park the event in an SQS dead-letter queue
 * that only these two rules may write to (`aws:SourceArn`). An invocation EventBridge
 * delivered but the function failed, after Lambda's own retries, goes to the on-failure
 * queue (FunctionEventInvokeConfig). Either queue can be re-driven into the bus.
 */
export class Projection extends pulumi.ComponentResource {
  public readonly handler: LambdaFunction;
  public readonly liveRule: aws.cloudwatch.EventRule;
  public readonly replayRule: aws.cloudwatch.EventRule;
  /** Events EventBridge could not deliver. */
  public readonly deadLetterQueue: aws.sqs.Queue;
  /** Invocations the function failed after Lambda's retries. */
  public readonly failureQueue: aws.sqs.Queue;
  public readonly replayRuleArn: pulumi.Output<string>;
  public readonly deadLetterQueueUrl: pulumi.Output<string>;
  public readonly failureQueueUrl: pulumi.Output<string>;

  constructor(name: string, args: ProjectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:events:Projection", name, {}, opts);
    const parent = { parent: this };

    this.handler = "target" in args ? args.target : viewProjection(name, args.views, parent);

    const match = { source: [args.eventSource], "detail-type": [...args.detailTypes] };
    this.liveRule = new aws.cloudwatch.EventRule(
      `${name}-live`,
      {
        eventBusName: args.eventBus.name,
        description: `Live events for the ${name} projection (replays excluded).`,
        eventPattern: JSON.stringify({ ...match, "replay-name": [{ exists: false }] }),
      },
      parent,
    );
    this.replayRule = new aws.cloudwatch.EventRule(
      `${name}-replay`,
      {
        eventBusName: args.eventBus.name,
        description: `Replayed events for the ${name} projection: name this rule in StartReplay's FilterArns.`,
        eventPattern: JSON.stringify({ ...match, "replay-name": [{ exists: true }] }),
      },
      parent,
    );

    this.deadLetterQueue = new aws.sqs.Queue(`${name}-dead-letters`, durableQueue(), parent);
    new aws.sqs.QueuePolicy(
      `${name}-dead-letters-policy`,
      {
        queueUrl: this.deadLetterQueue.url,
        policy: pulumi.jsonStringify(sentByRules(this.deadLetterQueue.arn, [this.liveRule.arn, this.replayRule.arn])),
      },
      parent,
    );
    this.failureQueue = new aws.sqs.Queue(`${name}-failures`, durableQueue(), parent);

    for (const [kind, rule] of [["live", this.liveRule], ["replay", this.replayRule]] as const) {
      new aws.lambda.Permission(
        `${name}-${kind}-invoke`,
        { action: "lambda:InvokeFunction", function: this.handler.functionName, principal: "events.amazonaws.com", sourceArn: rule.arn },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${kind}-target`,
        {
          rule: rule.name,
          eventBusName: args.eventBus.name,
          arn: this.handler.arn,
          retryPolicy: {
            maximumEventAgeInSeconds: args.maximumEventAgeSeconds ?? 24 * 60 * 60,
            maximumRetryAttempts: args.maximumRetryAttempts ?? 185,
          },
          deadLetterConfig: { arn: this.deadLetterQueue.arn },
        },
        parent,
      );
    }

    // Lambda checks the role may send to the destination when the config is created.
    const sendFailures = new aws.iam.RolePolicy(
      `${name}-send-failures`,
      { role: this.handler.role.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [sendTo(this.failureQueue.arn)] }) },
      parent,
    );
    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-on-failure`,
      {
        functionName: this.handler.functionName,
        maximumRetryAttempts: args.functionRetryAttempts ?? 2,
        destinationConfig: { onFailure: { destination: this.failureQueue.arn } },
      },
      { parent: this, dependsOn: [sendFailures] },
    );

    this.replayRuleArn = this.replayRule.arn;
    this.deadLetterQueueUrl = this.deadLetterQueue.url;
    this.failureQueueUrl = this.failureQueue.url;
    this.registerOutputs({
      functionName: this.handler.functionName,
      liveRuleArn: this.liveRule.arn,
      replayRuleArn: this.replayRuleArn,
      deadLetterQueueUrl: this.deadLetterQueueUrl,
      failureQueueUrl: this.failureQueueUrl,
    });
  }
}

function viewProjection(name: string, views: ViewProjectionArgs, opts: pulumi.ComponentResourceOptions): LambdaFunction {
  return new LambdaFunction(
    `${name}-projection`,
    {
      description: `Folds events into the ${name} views.`,
      bundleDir: views.bundleDir,
      memoryMb: views.memoryMb,
      timeoutSeconds: views.timeoutSeconds,
      logRetentionDays: views.logRetentionDays,
      environment: { ...sharedSettings(views.shared), PROJECTION: name },
      statements: projectionPolicy(name, views.shared),
    },
    opts,
  );
}

/** Dead letters are kept 14 days (SQS's maximum), encrypted with SQS-managed keys. */
function durableQueue(): aws.sqs.QueueArgs {
  return { messageRetentionSeconds: 14 * 24 * 60 * 60, sqsManagedSseEnabled: true };
}

/**
 * The projection handler catches up from the store (Query) and commits its own views with
 * conditional puts: everything under `<projection>/` (its generations), plus reading the
 * pointer that says which generation is current. Another projection's views are out of reach.
 */
function projectionPolicy(name: string, views: SharedResources): PolicyStatement[] {
  const bucket = views.viewsBucket.arn;
  return [
    { Sid: "CatchUpFromStore", Effect: "Allow", Action: ["dynamodb:Query"], Resource: [views.eventTable.arn] },
    { Sid: "ReadWriteOwnViews", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [pulumi.interpolate`${bucket}/${name}/*`] },
    { Sid: "ReadCurrentGeneration", Effect: "Allow", Action: ["s3:GetObject"], Resource: [pulumi.interpolate`${bucket}/${generationsKey}`] },
    // Without ListBucket, S3 answers 403 instead of 404 for a view not written yet; only its own keys.
    { Sid: "MissingViewIs404", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [views.viewsBucket.arn], Condition: listingUnder(viewKeysOf([name])) },
  ];
}

function sendTo(queueArn: pulumi.Output<string>): PolicyStatement {
  return { Sid: "OnFailureDestination", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queueArn] };
}

function sentByRules(queueArn: pulumi.Output<string>, ruleArns: pulumi.Output<string>[]) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DeadLettersFromOwnRules",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
      },
    ],
  };
}
