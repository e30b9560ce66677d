import { expect } from "chai";
import { eventTable } from "../../functions/adapters/eventTable";
import { eventSource, projectionNames, routes } from "../../functions/domain/routes";
import { functions } from "../../functions/handlers";
import { generationsKey } from "../../functions/usecases/generations";
import { devStack, type Stack } from "./support/program";
import { bundleNameOf, byOutput, list, named, ofType, type PolicyDocument, roleStatements } from "./support/stackQueries";

describe("events on AWS: store, bus, projections, publisher", () => {
  let stack: Stack;
  before(async function () {
    // The program runs under mocks: slower than the suite's 30 s default on a loaded machine.
    this.timeout(180_000);
    stack = await devStack();
  });
  const rules = () => ofType(stack, "aws:cloudwatch/eventRule:EventRule");
  const patternOf = (name: string) => JSON.parse(named(stack, "aws:cloudwatch/eventRule:EventRule", name).inputs.eventPattern);
  const bus = () => ofType(stack, "aws:cloudwatch/eventBus:EventBus")[0]!;
  const eventStore = () => byOutput(stack, "aws:dynamodb/table:Table", "name", stack.outputs.eventTableName);
  /** The function a projection's live rule delivers to. */
  const handlerOf = (name: string) =>
    byOutput(stack, "aws:lambda/function:Function", "arn", named(stack, "aws:cloudwatch/eventTarget:EventTarget", `${name}-live-target`).inputs.arn);

  describe("the event store", () => {
    it("is one on-demand DynamoDB table with point-in-time recovery, keyed by stream and seq", () => {
      const t = eventStore().inputs;
      expect(t.billingMode).to.equal("PAY_PER_REQUEST");
      expect(t.pointInTimeRecovery).to.deep.include({ enabled: true });
      expect([t.hashKey, t.rangeKey]).to.deep.equal([eventTable.partitionKey, eventTable.sortKey]);
      expect(t.attributes).to.deep.include.members([
        { name: eventTable.partitionKey, type: "S" },
        { name: eventTable.sortKey, type: "N" },
      ]);
    });

    it("has no secondary index (no key every event writes) and expires claims by TTL, as functions/adapters/eventTable.ts says", () => {
      const t = eventStore().inputs;
      expect(list(t.globalSecondaryIndexes)).to.deep.equal([]);
      // DynamoDB wants exactly the key attributes of the table and its indexes declared.
      expect(t.attributes).to.have.length(2);
      expect(t.ttl).to.deep.equal({ attributeName: eventTable.ttlAttribute, enabled: true });
    });

    it("writes every change to its stream with the new item, the publisher's input", () => {
      const t = eventStore().inputs;
      expect(t.streamEnabled).to.equal(true);
      expect(t.streamViewType).to.equal("NEW_IMAGE");
    });

    it("can be deleted on the dev stack (no deletion protection)", () => {
      expect(eventStore().inputs.deletionProtectionEnabled).to.equal(false);
    });
  });

  describe("the bus", () => {
    it("archives every event of the store's source on the custom bus, for the stack's retention", () => {
      const archives = ofType(stack, "aws:cloudwatch/eventArchive:EventArchive");
      expect(archives).to.have.length(1);
      expect(archives[0]!.inputs.eventSourceArn).to.equal(bus().state.arn);
      expect(JSON.parse(archives[0]!.inputs.eventPattern)).to.deep.equal({ source: [eventSource] });
      expect(archives[0]!.inputs.retentionDays).to.equal(Number(stack.config["chat:archiveRetentionDays"]));
    });
  });

  describe("projections, one per routing-table entry", () => {
    it("has one Projection component per entry of functions/domain/routes.ts", () => {
      expect(ofType(stack, "chat:events:Projection").map((p) => p.name).sort()).to.deep.equal([...projectionNames].sort());
    });

    for (const name of projectionNames) {
      it(`${name}: the live and replay rules match exactly its routes' detail-types from the store's source, on the custom bus`, () => {
        for (const kind of ["live", "replay"]) {
          const rule = named(stack, "aws:cloudwatch/eventRule:EventRule", `${name}-${kind}`);
          expect(rule.inputs.eventBusName).to.equal(bus().state.name);
          const pattern = patternOf(`${name}-${kind}`);
          expect(pattern.source).to.deep.equal([eventSource]);
          expect([...pattern["detail-type"]].sort()).to.deep.equal([...routes[name]].sort());
        }
      });
    }

    it("keeps replays away from live rules and gives replay rules only replayed events", () => {
      for (const name of projectionNames) {
        expect(patternOf(`${name}-live`)["replay-name"]).to.deep.equal([{ exists: false }]);
        expect(patternOf(`${name}-replay`)["replay-name"]).to.deep.equal([{ exists: true }]);
      }
      expect(rules()).to.have.length(projectionNames.length * 2);
    });

    it("targets both rules of a projection at its function, with a retry policy and its own dead-letter queue", () => {
      for (const name of projectionNames) {
        const fn = handlerOf(name);
        const dlq = named(stack, "aws:sqs/queue:Queue", `${name}-dead-letters`);
        for (const kind of ["live", "replay"]) {
          const target = named(stack, "aws:cloudwatch/eventTarget:EventTarget", `${name}-${kind}-target`);
          expect(target.inputs.rule).to.equal(named(stack, "aws:cloudwatch/eventRule:EventRule", `${name}-${kind}`).state.name);
          expect(target.inputs.arn).to.equal(fn.state.arn);
          expect(target.inputs.retryPolicy.maximumRetryAttempts).to.be.greaterThan(0);
          expect(target.inputs.retryPolicy.maximumEventAgeInSeconds).to.be.greaterThan(0);
          expect(target.inputs.deadLetterConfig).to.deep.equal({ arn: dlq.state.arn });
        }
      }
    });

    it("lets only EventBridge, for the projection's own two rules, send to its dead-letter queue", () => {
      for (const name of projectionNames) {
        const dlq = named(stack, "aws:sqs/queue:Queue", `${name}-dead-letters`);
        const policy = ofType(stack, "aws:sqs/queuePolicy:QueuePolicy").find((p) => p.inputs.queueUrl === dlq.state.url);
        const doc = JSON.parse(policy!.inputs.policy) as PolicyDocument;
        expect(doc.Statement).to.have.length(1);
        const s = doc.Statement[0]!;
        expect(s).to.deep.include({ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: dlq.state.arn });
        const ruleArns = ["live", "replay"].map((k) => named(stack, "aws:cloudwatch/eventRule:EventRule", `${name}-${k}`).state.arn);
        expect(s.Condition).to.deep.equal({ ArnEquals: { "aws:SourceArn": ruleArns } });
      }
    });

    it("sends a projection's failed asynchronous invocations to its on-failure queue", () => {
      for (const name of projectionNames) {
        const fn = handlerOf(name);
        const config = ofType(stack, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").find((c) => c.inputs.functionName === fn.state.name);
        expect(config?.inputs.destinationConfig.onFailure.destination).to.equal(named(stack, "aws:sqs/queue:Queue", `${name}-failures`).state.arn);
      }
    });

    it("lets each rule, and nothing else, invoke its projection's function", () => {
      for (const name of projectionNames) {
        const fn = handlerOf(name);
        const grants = ofType(stack, "aws:lambda/permission:Permission").filter((p) => p.inputs.function === fn.state.name);
        const ruleArns = ["live", "replay"].map((k) => named(stack, "aws:cloudwatch/eventRule:EventRule", `${name}-${k}`).state.arn);
        expect(grants.map((g) => [g.inputs.principal, g.inputs.sourceArn])).to.deep.equal(ruleArns.map((a) => ["events.amazonaws.com", a]));
      }
    });

    it("runs an entry with a function of its own in functions/handlers.ts on that bundle, every other on the shared projection bundle with its name in PROJECTION", async () => {
      for (const name of projectionNames) {
        const fn = handlerOf(name);
        if (name in functions) {
          expect(await bundleNameOf(fn), name).to.equal(name);
        } else {
          expect(await bundleNameOf(fn), name).to.equal("projection");
          expect(fn.inputs.environment.variables.PROJECTION, name).to.equal(name);
        }
      }
    });

    it("lets a view projection write only its own views (<projection>/…) and read which generation is current", () => {
      for (const name of projectionNames.filter((n) => !(n in functions))) {
        const bucketArn = ofType(stack, "aws:s3/bucket:Bucket").find((b) => b.state.bucket === stack.outputs.viewsBucketName)!.state.arn;
        const s3 = roleStatements(stack, handlerOf(name)).filter((s) => [s.Action].flat().some((a) => a.startsWith("s3:")));
        const byAction = (action: string) => s3.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat()).sort();
        expect(byAction("s3:PutObject"), name).to.deep.equal([`${bucketArn}/${name}/*`]);
        expect(byAction("s3:GetObject"), name).to.deep.equal([`${bucketArn}/${name}/*`, `${bucketArn}/${generationsKey}`].sort());
      }
    });

    it("keeps dead letters for SQS's maximum of 14 days, encrypted", () => {
      for (const q of ofType(stack, "aws:sqs/queue:Queue")) {
        expect(q.inputs.messageRetentionSeconds, q.name).to.equal(1209600);
        expect(q.inputs.sqsManagedSseEnabled, q.name).to.equal(true);
      }
    });
  });

  describe("the publisher: the table's stream is the outbox", () => {
    const mappings = () => ofType(stack, "aws:lambda/eventSourceMapping:EventSourceMapping");
    const publisher = () => byOutput(stack, "aws:lambda/function:Function", "name", stack.outputs.publishFunctionName);
    const failureQueue = () => byOutput(stack, "aws:sqs/queue:Queue", "url", stack.outputs.publishFailureQueueUrl);

    it("feeds the event table's stream to the publish bundle, from the oldest record, as soon as records are there", async () => {
      expect(mappings()).to.have.length(1);
      const m = mappings()[0]!.inputs;
      expect(m.eventSourceArn).to.equal(eventStore().state.streamArn).and.match(/\/stream\//);
      expect(m.functionName).to.equal(publisher().state.arn);
      expect(await bundleNameOf(publisher())).to.equal("publish");
      // LATEST could skip what is written while the mapping starts.
      expect(m.startingPosition).to.equal("TRIM_HORIZON");
      expect(m.maximumBatchingWindowInSeconds).to.equal(0);
      expect(m.batchSize).to.be.within(1, 1000);
    });

    it("passes on only inserted events, with the filter functions/adapters/eventTable.ts declares", () => {
      const filters = list<{ pattern: string }>(mappings()[0]!.inputs.filterCriteria.filters);
      expect(filters.map((f) => JSON.parse(f.pattern))).to.deep.equal([eventTable.streamFilter]);
    });

    it("keeps a stream's order: one batch at a time per shard, never split, retried from the first record the bus refused", () => {
      const m = mappings()[0]!.inputs;
      // Lambda keeps order across a shard's concurrent batches only per item (pk and sk), and each event is an item.
      expect(m.parallelizationFactor).to.equal(1);
      expect(m.bisectBatchOnFunctionError).to.equal(false);
      expect(m.functionResponseTypes).to.deep.equal(["ReportBatchItemFailures"]);
      expect(m.tumblingWindowInSeconds).to.equal(undefined);
    });

    it("retries without a count, and gives up on a record only before the stream's 24 hours drop it, into an encrypted on-failure queue", () => {
      const m = mappings()[0]!.inputs;
      expect(m.maximumRetryAttempts).to.equal(-1);
      expect(m.maximumRecordAgeInSeconds).to.be.within(60, 24 * 60 * 60 - 1);
      expect(m.destinationConfig).to.deep.equal({ onFailure: { destinationArn: failureQueue().state.arn } });
      expect(failureQueue().inputs.sqsManagedSseEnabled).to.equal(true);
      expect(roleStatements(stack, publisher()).filter((s) => list(s.Action).includes("sqs:SendMessage")).flatMap((s) => list(s.Resource))).to.deep.equal([
        failureQueue().state.arn,
      ]);
    });

    it("lets the publisher's role read the table's stream, and no other role", () => {
      const streamArn = eventStore().state.streamArn;
      for (const fn of ofType(stack, "aws:lambda/function:Function")) {
        const reads = roleStatements(stack, fn).filter((s) => list(s.Action).includes("dynamodb:GetRecords"));
        expect(reads.flatMap((s) => list(s.Resource)), fn.name).to.deep.equal(fn === publisher() ? [streamArn] : []);
      }
    });

    it("is the only way onto the bus: no other role may put events", () => {
      const putters = ofType(stack, "aws:lambda/function:Function").filter((fn) =>
        roleStatements(stack, fn).some((s) => list(s.Action).includes("events:PutEvents")),
      );
      expect(putters.map((fn) => fn.name)).to.deep.equal([publisher().name]);
    });

    it("has no re-publisher left: no schedule, no role for EventBridge Scheduler", () => {
      expect(ofType(stack, "aws:scheduler/schedule:Schedule")).to.deep.equal([]);
      const trusted = ofType(stack, "aws:iam/role:Role").flatMap((r) => (JSON.parse(r.inputs.assumeRolePolicy) as PolicyDocument).Statement.map((s) => s.Principal));
      expect(trusted).to.not.deep.include({ Service: "scheduler.amazonaws.com" });
      expect(stack.outputs).to.not.have.property("republishFunctionName");
    });
  });
});
