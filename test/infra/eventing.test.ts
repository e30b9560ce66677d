import { expect } from "chai";
import { eventTable } from "../../functions/adapters/eventTable";
import { eventSource, projectionNames, routes } from "../../functions/domain/routes";
import { functions } from "../../functions/handlers";
import { generationsKey } from "../../functions/usecases/generations";
import { devStack, type Stack } from "./support/program";
import { bundleNameOf, byOutput, list, named, ofType, type PolicyDocument, roleStatements } from "./support/stackQueries";

describe("events on AWS: store, bus, projections, re-publisher", () => {
  let stack: Stack;
  before(async () => {
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

    it("has the re-publisher's sparse index and expires claims by TTL, as functions/adapters/eventTable.ts says", () => {
      const t = eventStore().inputs;
      const { name, partitionKey, sortKey } = eventTable.unpublishedIndex;
      const index = list<any>(t.globalSecondaryIndexes).find((i) => i.name === name);
      expect(index.keySchemas).to.deep.equal([
        { attributeName: partitionKey, keyType: "HASH" },
        { attributeName: sortKey, keyType: "RANGE" },
      ]);
      // Keys only: an index write costs one unit, not the event's size again.
      expect(index.projectionType).to.equal("KEYS_ONLY");
      expect(t.ttl).to.deep.equal({ attributeName: eventTable.ttlAttribute, enabled: true });
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

  describe("the re-publisher", () => {
    it("runs the republish bundle on the stack's EventBridge Scheduler schedule, with a role that may only invoke it", async () => {
      const schedule = ofType(stack, "aws:scheduler/schedule:Schedule")[0]!;
      expect(schedule.inputs.scheduleExpression).to.equal(stack.config["chat:republishSchedule"]);
      const fn = byOutput(stack, "aws:lambda/function:Function", "arn", schedule.inputs.target.arn);
      expect(await bundleNameOf(fn)).to.equal("republish");
      const role = byOutput(stack, "aws:iam/role:Role", "arn", schedule.inputs.target.roleArn);
      expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ Service: "scheduler.amazonaws.com" });
      const statements = ofType(stack, "aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.inputs.role === role.id)
        .flatMap((p) => (JSON.parse(p.inputs.policy) as PolicyDocument).Statement);
      expect(statements.map((s) => [s.Action, s.Resource])).to.deep.equal([[["lambda:InvokeFunction"], [fn.state.arn]]]);
    });
  });
});
