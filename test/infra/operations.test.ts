import { expect } from "chai";
import { devStack, type Stack } from "./support/program";
import { byOutput, lambdas, ofType } from "./support/stackQueries";

describe("operations: alarms and a dashboard", () => {
  let stack: Stack;
  before(async function () {
    // The program runs under mocks: slower than the suite's 30 s default on a loaded machine.
    this.timeout(180_000);
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

  describe("the publisher", () => {
    const publisher = () => lambdas(stack).find((f) => f.state.name === stack.outputs.publishFunctionName)!;
    const failureQueue = () => byOutput(stack, "aws:sqs/queue:Queue", "url", stack.outputs.publishFailureQueueUrl);

    it("raises an alarm when stored events wait over a minute to reach the bus, for 5 minutes (the stream's iterator age)", () => {
      const alarm = alarmOn("AWS/Lambda", "IteratorAge", "FunctionName", publisher().state.name);
      expect(alarm!.inputs).to.deep.include({ statistic: "Maximum", period: 60, evaluationPeriods: 5, threshold: 60_000, unit: "Milliseconds" });
      expect(alarm!.inputs.comparisonOperator).to.equal("GreaterThanOrEqualToThreshold");
    });

    it("raises an alarm when the publish function errs", () => {
      expect(alarmOn("AWS/Lambda", "Errors", "FunctionName", publisher().state.name)!.inputs).to.deep.include({ statistic: "Sum", threshold: 1 });
    });

    it("pages when a stored event expired unpublished (a record described in its on-failure queue), and says how to recover", () => {
      const alarm = alarmOn("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", failureQueue().state.name);
      expect(alarm!.inputs).to.deep.include({ threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", evaluationPeriods: 1 });
      expect(alarm!.inputs.alarmDescription).to.include("npm run rebuild");
    });

    it("raises an alarm when Lambda cannot write to that queue", () => {
      const alarm = alarmOn("AWS/Lambda", "DestinationDeliveryFailures", "FunctionName", publisher().state.name);
      expect(alarm!.inputs).to.deep.include({ statistic: "Sum", threshold: 1 });
    });

    it("shows on the dashboard how long events wait for the bus, and its on-failure queue among the dead letters", () => {
      const [dashboard] = ofType(stack, "aws:cloudwatch/dashboard:Dashboard");
      const widgets = JSON.parse(dashboard!.inputs.dashboardBody).widgets as { properties: { title: string; metrics: unknown[][] } }[];
      const metricsOf = (title: string) => widgets.find((w) => w.properties.title === title)!.properties.metrics.map((m) => m.slice(0, 4));
      expect(metricsOf("Events waiting to reach the bus (oldest, ms)")).to.deep.equal([["AWS/Lambda", "IteratorAge", "FunctionName", publisher().state.name]]);
      expect(metricsOf("Dead letters waiting")).to.deep.include(["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", failureQueue().state.name]);
    });

    it("leaves nothing of the re-publisher's backlog: no metric made from logs", () => {
      expect(ofType(stack, "aws:cloudwatch/logMetricFilter:LogMetricFilter")).to.deep.equal([]);
      expect(alarms().filter((a) => a.inputs.metricName === "UnpublishedBacklog")).to.deep.equal([]);
    });
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

  it("has a dashboard named after the stack showing errors, dead letters, failed invocations and how long events wait for the bus", () => {
    const [dashboard] = ofType(stack, "aws:cloudwatch/dashboard:Dashboard");
    expect(dashboard!.inputs.dashboardName).to.equal("chat-dev");
    expect(stack.outputs.dashboardName).to.equal("chat-dev");
    const titles = (JSON.parse(dashboard!.inputs.dashboardBody).widgets as { properties: { title: string } }[]).map((w) => w.properties.title);
    expect(titles).to.include.members(["Function errors", "Dead letters waiting", "Failed rule invocations", "Events waiting to reach the bus (oldest, ms)"]);
  });
});
