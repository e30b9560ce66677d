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
  /** Namespace of the metrics made from logs (the re-publisher's backlog): unique per stack. */
  metricNamespace: string;
  /** Every function of the stack, by a short name. An error in any raises an alarm. */
  functions: Record<string, LambdaFunction>;
  /** Dead-letter and on-failure queues, by a short name. A message waiting in any raises an alarm. */
  deadLetterQueues: Record<string, aws.sqs.Queue>;
  /** EventBridge rules, by a short name. A failed invocation of a target raises an alarm. */
  rules: Record<string, aws.cloudwatch.EventRule>;
  /**
   * The re-publisher: its JSON log lines carrying a numeric `backlog` field (events found
   * unpublished past the grace period) become the backlog metric.
   */
  republisher: LambdaFunction;
  /** Where alarms are mailed (an SNS email subscription; AWS asks the address to confirm). Default: none, the topic only. */
  alarmEmail?: string;
}

/**
 * What an operator watches: alarms on the ways the system can be failing quietly (dead
 * letters waiting, function errors, EventBridge failing to invoke a target or to dead-letter
 * what it could not deliver, a re-publisher backlog that does not drain), all sent to one SNS topic, and a dashboard
 * with the same metrics. Metrics and the dashboard are built with `@pulumi/awsx`'s
 * CloudWatch helpers (metric per resource, alarm from metric, widget grid).
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
    const alarm = (key: string, metric: awsx.cloudwatch.Metric, description: string, evaluationPeriods = 1) => {
      this.alarms.push(
        metric.createAlarm(
          `${name}-${key}`,
          {
            alarmDescription: description,
            threshold: 1,
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

    const backlogMetric = "UnpublishedBacklog";
    new aws.cloudwatch.LogMetricFilter(
      `${name}-backlog`,
      {
        logGroupName: args.republisher.logGroup.name,
        pattern: "{ $.backlog >= 0 }",
        metricTransformation: { name: backlogMetric, namespace: args.metricNamespace, value: "$.backlog", unit: "Count" },
      },
      parent,
    );
    const backlog = new cw.Metric({ namespace: args.metricNamespace, name: backlogMetric, statistic: "Minimum", period: fiveMinutes, label: "backlog" });
    // The smallest backlog of each 5 minutes stayed above zero for 15 minutes: publishing keeps failing.
    alarm("republish-backlog", backlog, "Stored events stay unpublished: check EventBridge PutEvents and the re-publisher.", 3);

    const graph = (title: string, metrics: awsx.cloudwatch.Metric[]) => new cw.LineGraphMetricWidget({ title, metrics, width: 12, height: 6 });
    this.dashboard = new cw.Dashboard(
      `${name}-dashboard`,
      {
        name: args.dashboardName,
        region: args.region as pulumi.Input<aws.Region>,
        widgets: [
          new cw.RowWidget(graph("Function errors", errors), graph("Dead letters waiting", waiting)),
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
          new cw.RowWidget(graph("Failed rule invocations", [...failed, ...lost]), graph("Unpublished backlog", [backlog])),
        ],
      },
      parent,
    );

    this.dashboardName = this.dashboard.dashboardName;
    this.registerOutputs({ dashboardName: this.dashboardName, alarmTopicArn: this.topic.arn });
  }
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
