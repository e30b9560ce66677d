import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx/classic";
import * as pulumi from "@pulumi/pulumi";
import type { LambdaFunction } from "./lambdaFunction";

const cw = awsx.cloudwatch;
const fiveMinutes = 300;

export interface OperationsArgs {
  region: pulumi.Input<string>;
  /** The dashboard's name: unique in the account and region, so it carries the stack's name. */
  dashboardName: string;
  /** Every function of the stack, by a short name. An error in any raises an alarm. */
  functions: Record<string, LambdaFunction>;
  /** Dead-letter and on-failure queues, by a short name. A message waiting in any raises an alarm. */
  deadLetterQueues: Record<string, aws.sqs.Queue>;
  /** EventBridge rules, by a short name. A failed invocation of a target raises an alarm. */
  rules: Record<string, aws.cloudwatch.EventRule>;
  /** The table stream's publisher: its function (also among `functions`) and the queue of records that expired unpublished. */
  publisher: { handler: LambdaFunction; failureQueue: aws.sqs.Queue };
  /** Where alarms are mailed (an SNS email subscription; AWS asks the address to confirm). Default: none, the topic only. */
  alarmEmail?: string;
}

/**
 * What an operator watches: alarms on the ways the system can be failing quietly (dead
 * letters waiting, function errors, EventBridge failing to invoke a target or to dead-letter
 * what it could not deliver, stored events that do not reach the bus), all sent to one SNS
 * topic, and a dashboard with the same metrics. Metrics and the dashboard are built with
 * `@pulumi/awsx`'s CloudWatch helpers (metric per resource, alarm from metric, widget grid).
 */
export class Operations extends pulumi.ComponentResource {
  public readonly topic: aws.sns.Topic;
  public readonly dashboard: aws.cloudwatch.Dashboard;
  public readonly alarms: aws.cloudwatch.MetricAlarm[] = [];
  public readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: OperationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:cloudwatch:Operations", name, {}, opts);
    const parent = { parent: this };

    this.topic = new aws.sns.Topic(`${name}-alarms`, { displayName: `Chat alarms (${args.dashboardName})` }, parent);
    if (args.alarmEmail) {
      new aws.sns.TopicSubscription(`${name}-alarm-email`, { topic: this.topic.arn, protocol: "email", endpoint: args.alarmEmail }, parent);
    }
    const alarm = (key: string, metric: awsx.cloudwatch.Metric, description: string, { evaluationPeriods = 1, threshold = 1 } = {}) => {
      this.alarms.push(
        metric.createAlarm(
          `${name}-${key}`,
          {
            alarmDescription: description,
            threshold,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            evaluationPeriods,
            treatMissingData: "notBreaching",
            alarmActions: [this.topic.arn],
            okActions: [this.topic.arn],
          },
          parent,
        ),
      );
    };

    const waiting = Object.entries(args.deadLetterQueues).map(([key, queue]) =>
      awsx.sqs.metrics.approximateNumberOfMessagesVisible({ queue, statistic: "Maximum", period: fiveMinutes, label: key }),
    );
    Object.keys(args.deadLetterQueues).forEach((key, i) =>
      alarm(`${key}-waiting`, waiting[i]!, `Messages wait in ${key}: inspect them, fix the cause, re-drive them.`),
    );

    const errors = Object.entries(args.functions).map(([key, fn]) =>
      awsx.lambda.metrics.errors({ function: fn.function, statistic: "Sum", period: fiveMinutes, label: key }),
    );
    Object.keys(args.functions).forEach((key, i) => alarm(`${key}-errors`, errors[i]!, `The ${key} function failed: see its log group.`));

    const failed = Object.entries(args.rules).map(([key, rule]) => ruleMetric("FailedInvocations", rule, key));
    Object.keys(args.rules).forEach((key, i) =>
      alarm(`${key}-failed-invocations`, failed[i]!, `EventBridge could not invoke the target of ${key}.`),
    );
    const lost = Object.entries(args.rules).map(([key, rule]) => ruleMetric("InvocationsFailedToBeSentToDlq", rule, `${key} (DLQ)`));
    Object.keys(args.rules).forEach((key, i) =>
      alarm(`${key}-dlq-send-failures`, lost[i]!, `EventBridge could not put a failed event of ${key} in its dead-letter queue: the event is lost (check the queue and its policy).`),
    );

    const publishing = publisherAlarms(args.publisher, alarm);
    const graph = (title: string, metrics: awsx.cloudwatch.Metric[]) => new cw.LineGraphMetricWidget({ title, metrics, width: 12, height: 6 });
    this.dashboard = new cw.Dashboard(
      `${name}-dashboard`,
      {
        name: args.dashboardName,
        region: args.region as pulumi.Input<aws.Region>,
        widgets: [
          new cw.RowWidget(graph("Function errors", errors), graph("Dead letters waiting", [...waiting, publishing.expired])),
          new cw.RowWidget(
            graph(
              "Function invocations",
              Object.entries(args.functions).map(([key, fn]) =>
                awsx.lambda.metrics.invocations({ function: fn.function, statistic: "Sum", period: fiveMinutes, label: key }),
              ),
            ),
            graph(
              "Function duration (p95)",
              Object.entries(args.functions).map(([key, fn]) =>
                awsx.lambda.metrics.duration({ function: fn.function, extendedStatistic: 95, period: fiveMinutes, label: key }),
              ),
            ),
          ),
          new cw.RowWidget(graph("Failed rule invocations", [...failed, ...lost]), graph("Events waiting to reach the bus (oldest, ms)", [publishing.waiting])),
        ],
      },
      parent,
    );

    this.dashboardName = this.dashboard.dashboardName;
    this.registerOutputs({ dashboardName: this.dashboardName, alarmTopicArn: this.topic.arn });
  }
}

type Alarm = (key: string, metric: awsx.cloudwatch.Metric, description: string, options?: { evaluationPeriods?: number; threshold?: number }) => void;

/**
 * The publisher's alarms. Its errors are every function's alarm; a batch the bus partly
 * refused is not an error (the function answers where to retry from), so what shows a
 * stalled publisher is the age of the records it is given (IteratorAge: how long the
 * newest record of a batch waited in the stream), and what shows a loss is a record
 * described in the on-failure queue.
 */
function publisherAlarms(publisher: OperationsArgs["publisher"], alarm: Alarm) {
  const fn = publisher.handler.function;
  const waiting = awsx.lambda.metrics.iteratorAge({ function: fn, statistic: "Maximum", period: 60, label: "publish" });
  alarm("publish-iterator-age", waiting, "Stored events wait over a minute to reach the bus, for 5 minutes: see the publish function's log (EventBridge refusing PutEvents, throttles).", {
    evaluationPeriods: 5,
    threshold: 60_000,
  });
  const expired = awsx.sqs.metrics.approximateNumberOfMessagesVisible({ queue: publisher.failureQueue, statistic: "Maximum", period: fiveMinutes, label: "publish-failures" });
  alarm("publish-expired", expired, "Stored events expired from the table's stream before the bus took them: no realtime push or archive for them, and their views miss them until `npm run rebuild` (docs/deploy.md). Fix the bus, rebuild, then delete the messages.");
  const undelivered = new cw.Metric({ namespace: "AWS/Lambda", name: "DestinationDeliveryFailures", dimensions: { FunctionName: fn.name }, statistic: "Sum", period: fiveMinutes, label: "publish" });
  alarm("publish-destination-failures", undelivered, "Lambda could not describe expired stream records in the publisher's on-failure queue: check the queue and the publish role's sqs:SendMessage.");
  return { waiting, expired };
}

/**
 * A rule's AWS/Events metric (a Sum over five minutes). awsx's `metrics.events` set only
 * `RuleName`, which names a rule of the default bus; a rule of a custom bus reports under
 * `EventBusName` and `RuleName` (EventBridge's monitoring guide).
 */
function ruleMetric(name: string, rule: aws.cloudwatch.EventRule, label: string): awsx.cloudwatch.Metric {
  const dimensions = pulumi
    .all([rule.name, rule.eventBusName])
    .apply(([ruleName, bus]): Record<string, string> => (bus && bus !== "default" ? { EventBusName: bus, RuleName: ruleName } : { RuleName: ruleName }));
  return new cw.Metric({ namespace: "AWS/Events", name, statistic: "Sum", period: fiveMinutes, label, dimensions });
}
