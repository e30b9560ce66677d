import { expect } from "chai";
import { functions } from "../../functions/handlers";
import { type HandlerReach, reachOf } from "./support/handlerCalls";
import { dynamoStreamSourceActions, grantsFor, settingFor, type Target } from "./support/iamActions";
import { allowedListing, allowedObjectKeys, allowedTableKeys, neededTableKeys, neededViewKeys, snapshotPartKeys } from "./support/keyScopes";
import { devStack, type Stack } from "./support/program";
import { allowedGrants, bundleNameOf, lambdas, list, mappingsOf, ofType, ownerOf, roleStatements, targetOf } from "./support/stackQueries";
import type { Recorded } from "./support/mocks";

/**
 * The expectation comes from the handlers' code (every AWS SDK command their reachable
 * code constructs), never from the policies under test. Besides those, a role may only
 * write its own logs, send to its own on-failure queue (a projection's asynchronous
 * invocations, the publisher's event source mapping) and, for a function fed by an event
 * source mapping, read the stream that mapping names.
 */
describe("least privilege: each function's role allows exactly what its handler calls", () => {
  let stack: Stack;
  let reach: Map<string, HandlerReach>;
  const deployed = new Map<string, Recorded[]>();

  before(async function () {
    // The program runs under mocks: slower than the suite's 30 s default on a loaded machine.
    this.timeout(180_000);
    stack = await devStack();
    reach = reachOf(Object.values(functions).map((f) => f.entry));
    for (const fn of lambdas(stack)) {
      const name = await bundleNameOf(fn);
      deployed.set(name, [...(deployed.get(name) ?? []), fn]);
    }
  });

  for (const [name, spec] of Object.entries(functions)) {
    it(`${name}: its role allows what ${spec.entry} calls, on the resources it names, and nothing else`, () => {
      const instances = deployed.get(name) ?? [];
      expect(instances, `no Lambda deploys ${name}`).to.not.be.empty;
      const needed = grantsFor(reach.get(spec.entry)!.calls);
      for (const fn of instances) {
        const own = ["logs:CreateLogStream@own-logs", "logs:PutLogEvents@own-logs"];
        const hasOnFailure = ofType(stack, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").some(
          (c) => c.inputs.functionName === fn.state.name,
        );
        if (hasOnFailure) own.push("sqs:SendMessage@own-failures");
        for (const mapping of mappingsOf(stack, fn)) {
          if (!/^arn:aws:dynamodb:.*\/stream\//.test(mapping.inputs.eventSourceArn)) throw new Error(`${mapping.name}: say what its kind of source needs`);
          own.push(...dynamoStreamSourceActions.map((action) => `${action}@own-source`));
          if (mapping.inputs.destinationConfig?.onFailure?.destinationArn) own.push("sqs:SendMessage@own-failures");
        }
        expect([...allowedGrants(stack, fn)].sort(), fn.name).to.deep.equal([...new Set([...needed, ...own])].sort());
      }
    });
  }

  const settingsOf = (fn: Recorded): Record<string, string> => fn.inputs.environment?.variables ?? {};

  for (const [name, spec] of Object.entries(functions)) {
    it(`${name}: may get, put, update and delete only the kinds of event-table key its code touches (dynamodb:LeadingKeys)`, () => {
      const needed = neededTableKeys(reach.get(spec.entry)!);
      for (const fn of deployed.get(name) ?? []) {
        const tableName = settingsOf(fn).EVENTS_TABLE;
        const table = ofType(stack, "aws:dynamodb/table:Table").find((t) => t.state.name === tableName);
        const allowed = table ? allowedTableKeys(roleStatements(stack, fn), table.state.arn) : new Map<string, string[]>();
        expect(Object.fromEntries(allowed), fn.name).to.deep.equal(Object.fromEntries(needed));
      }
    });

    it(`${name}: may list and reach only the views its code reads or writes (s3:prefix)`, () => {
      const calls = reach.get(spec.entry)!;
      const grants = [...grantsFor(calls.calls)];
      const needsListing = grants.includes("s3:ListBucket@bucket");
      const needsObjects = grants.some((g) => g.endsWith("@objects"));
      for (const fn of deployed.get(name) ?? []) {
        const bucketName = settingsOf(fn).VIEWS_BUCKET;
        const bucket = ofType(stack, "aws:s3/bucket:Bucket").find((b) => b.state.bucket === bucketName);
        const statements = roleStatements(stack, fn);
        const needed = neededViewKeys(calls, settingsOf(fn));
        const listing = bucket ? allowedListing(statements, bucket.state.arn) : undefined;
        const objects = bucket ? allowedObjectKeys(statements, bucket.state.arn) : [];
        expect({ listing, objects }, fn.name).to.deep.equal({ listing: needsListing ? needed : undefined, objects: needsObjects ? needed : [] });
      }
    });
  }

  // Queries are not among the keyed actions above (a stream's reader may query any stream); the parts a snapshot points at are under keys of their own.
  it("lets every function that reads snapshots query their parts", () => {
    const readers = Object.entries(functions).filter(([, spec]) => reach.get(spec.entry)!.interfaceMembers.includes("EventStore.readSnapshot"));
    expect(readers.map(([name]) => name)).to.include.members(["store", "notify"]);
    for (const [name] of readers) {
      for (const fn of deployed.get(name) ?? []) {
        const tableName = settingsOf(fn).EVENTS_TABLE;
        const table = ofType(stack, "aws:dynamodb/table:Table").find((t) => t.state.name === tableName);
        const allowed = table ? allowedTableKeys(roleStatements(stack, fn), table.state.arn, ["dynamodb:Query"]) : new Map<string, string[]>();
        expect(allowed.get("dynamodb:Query") ?? [], fn.name).to.include(snapshotPartKeys);
      }
    }
  });

  it("points every allowed resource at the table, bucket, bus or API the function's settings name", () => {
    for (const fn of lambdas(stack)) {
      const settings: Record<string, string> = fn.inputs.environment?.variables ?? {};
      for (const statement of roleStatements(stack, fn)) {
        for (const arn of list(statement.Resource)) {
          const target = targetOf(stack, fn, arn);
          if (target === "own-logs" || target === "own-failures" || target === "own-source") continue;
          const owner = ownerOf(stack, arn);
          expect(owner, `${fn.name}: ${arn}`).to.not.equal(undefined);
          const physical = [owner!.state.name, owner!.state.bucket, owner!.id].filter(Boolean) as string[];
          const named = settingFor[target as Target].some((s) => settings[s] !== undefined && physical.some((p) => settings[s]!.includes(p)));
          expect(named, `${fn.name} may use ${arn} but no setting of ${settingFor[target as Target].join("/")} names it`).to.equal(true);
        }
      }
    }
  });

  it("gives every function every setting its handler's code may read, so none dies of a missing one", () => {
    for (const [name, spec] of Object.entries(functions)) {
      for (const fn of deployed.get(name) ?? []) {
        const settings = Object.keys(fn.inputs.environment?.variables ?? {});
        expect(settings, fn.name).to.include.members(reach.get(spec.entry)!.settings);
      }
    }
  });
});
