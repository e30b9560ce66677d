import { expect } from "chai";
import { devStack, type Stack } from "./support/program";
import { lambdas, ofType } from "./support/stackQueries";

describe("operations: alarms and a dashboard", () => {
  let stack: Stack;
  before(async () => {
    stack = await devStack();
  });
  const alarms = () => ofType(stack, "aws:cloudwatch/metricAlarm:MetricAlarm");
  const topic = () => ofType(stack, "aws:sns/topic:Topic")[0]!;
  const alarmOn = (namespace: string, metricName: string, dimension: string, value: string) =>
    alarms().find((a) => a.inputs.namespace === namespace && a.inputs.metricName === metricName && a.inputs.dimensions?.[dimension] === value);

  it("raises an alarm when a message waits in any dead-letter or on-failure queue", () => {
    const queues = ofType(stack, "aws:sqs/queue:Queue");
    expect(queues).to.not.be.empty;
    for (const queue of queues) {
      const alarm = alarmOn("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue.state.name);
      expect(alarm, queue.name).to.not.equal(undefined);
      expect(alarm!.inputs).to.deep.include({ threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold" });
    }
  });

  it("raises an alarm when any function errs", () => {
    for (const fn of lambdas(stack)) expect(alarmOn("AWS/Lambda", "Errors", "FunctionName", fn.state.name), fn.name).to.not.equal(undefined);
  });

  // AWS/Events reports a rule of a custom bus under EventBusName and RuleName; RuleName
  // alone is a rule of the default bus, a metric that never exists here.
  for (const metricName of ["FailedInvocations", "InvocationsFailedToBeSentToDlq"]) {
    it(`raises an alarm on ${metricName} of every rule, on the metric of the rule's own bus`, () => {
      const rules = ofType(stack, "aws:cloudwatch/eventRule:EventRule");
      const [bus] = ofType(stack, "aws:cloudwatch/eventBus:EventBus");
      expect(rules).to.not.be.empty;
      const watched = alarms().filter((a) => a.inputs.namespace === "AWS/Events" && a.inputs.metricName === metricName);
      expect(watched.map((a) => a.inputs.dimensions)).to.have.deep.members(rules.map((rule) => ({ EventBusName: bus!.state.name, RuleName: rule.state.name })));
      for (const rule of rules) expect(rule.inputs.eventBusName, rule.name).to.equal(bus!.state.name);
      for (const alarm of watched) expect(alarm.inputs).to.deep.include({ statistic: "Sum", threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold" });
    });
  }

  it("turns the re-publisher's logged backlog into a metric and alarms when it does not drain for 15 minutes", () => {
    const sweep = lambdas(stack).find((f) => f.state.name === stack.outputs.republishFunctionName)!;
    const [filter] = ofType(stack, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
    expect(filter!.inputs.logGroupName).to.equal(sweep.inputs.loggingConfig.logGroup);
    expect(filter!.inputs.metricTransformation).to.deep.include({ name: "UnpublishedBacklog", value: "$.backlog" });
    const alarm = alarms().find((a) => a.inputs.metricName === "UnpublishedBacklog" && a.inputs.namespace === filter!.inputs.metricTransformation.namespace);
    expect(alarm!.inputs).to.deep.include({ evaluationPeriods: 3, period: 300, threshold: 1 });
  });

  it("sends every alarm, and its recovery, to the stack's alarm topic", () => {
    expect(alarms()).to.not.be.empty;
    for (const alarm of alarms()) {
      expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal([topic().state.arn]);
      expect(alarm.inputs.okActions, alarm.name).to.deep.equal([topic().state.arn]);
      expect(alarm.inputs.treatMissingData, alarm.name).to.equal("notBreaching");
    }
    expect(stack.outputs.alarmTopicArn).to.equal(topic().state.arn);
  });

  it("has a dashboard named after the stack showing errors, dead letters, failed invocations and the backlog", () => {
    const [dashboard] = ofType(stack, "aws:cloudwatch/dashboard:Dashboard");
    expect(dashboard!.inputs.dashboardName).to.equal("chat-dev");
    expect(stack.outputs.dashboardName).to.equal("chat-dev");
    const titles = (JSON.parse(dashboard!.inputs.dashboardBody).widgets as { properties: { title: string } }[]).map((w) => w.properties.title);
    expect(titles).to.include.members(["Function errors", "Dead letters waiting", "Failed rule invocations", "Unpublished backlog"]);
  });
});
