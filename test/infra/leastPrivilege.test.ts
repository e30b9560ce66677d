import { expect } from "chai";
import { functions } from "../../functions/handlers";
import { sdkCallsOf, type SdkCall } from "./support/handlerCalls";
import { grantsFor, settingFor, type Target } from "./support/iamActions";
import { devStack, type Stack } from "./support/program";
import { allowedGrants, bundleNameOf, lambdas, list, ofType, ownerOf, roleStatements, targetOf } from "./support/stackQueries";
import type { Recorded } from "./support/mocks";

/**
 * The expectation comes from the handlers' code (every AWS SDK command their reachable
 * code constructs), never from the policies under test. Besides those, a role may only
 * write its own logs and, for a projection, send to its own on-failure queue.
 */
describe("least privilege: each function's role allows exactly what its handler calls", () => {
  let stack: Stack;
  let calls: Map<string, SdkCall[]>;
  const deployed = new Map<string, Recorded[]>();

  before(async () => {
    stack = await devStack();
    calls = sdkCallsOf(Object.values(functions).map((f) => f.entry));
    for (const fn of lambdas(stack)) {
      const name = await bundleNameOf(fn);
      deployed.set(name, [...(deployed.get(name) ?? []), fn]);
    }
  });

  for (const [name, spec] of Object.entries(functions)) {
    it(`${name}: its role allows what ${spec.entry} calls, on the resources it names, and nothing else`, () => {
      const instances = deployed.get(name) ?? [];
      expect(instances, `no Lambda deploys ${name}`).to.not.be.empty;
      const needed = grantsFor(calls.get(spec.entry) ?? []);
      for (const fn of instances) {
        const own = ["logs:CreateLogStream@own-logs", "logs:PutLogEvents@own-logs"];
        const hasOnFailure = ofType(stack, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").some(
          (c) => c.inputs.functionName === fn.state.name,
        );
        if (hasOnFailure) own.push("sqs:SendMessage@own-failures");
        expect([...allowedGrants(stack, fn)].sort(), fn.name).to.deep.equal([...needed, ...own].sort());
      }
    });
  }

  it("points every allowed resource at the table, bucket, bus or API the function's settings name", () => {
    for (const fn of lambdas(stack)) {
      const settings: Record<string, string> = fn.inputs.environment?.variables ?? {};
      for (const statement of roleStatements(stack, fn)) {
        for (const arn of list(statement.Resource)) {
          const target = targetOf(stack, fn, arn);
          if (target === "own-logs" || target === "own-failures") continue;
          const owner = ownerOf(stack, arn);
          expect(owner, `${fn.name}: ${arn}`).to.not.equal(undefined);
          const physical = [owner!.state.name, owner!.state.bucket, owner!.id].filter(Boolean) as string[];
          const named = settingFor[target as Target].some((s) => settings[s] !== undefined && physical.some((p) => settings[s]!.includes(p)));
          expect(named, `${fn.name} may use ${arn} but no setting of ${settingFor[target as Target].join("/")} names it`).to.equal(true);
        }
      }
    }
  });

  it("gives every function the settings of the services its handler calls", async () => {
    for (const [name, spec] of Object.entries(functions)) {
      const targets = [...grantsFor(calls.get(spec.entry) ?? [])].map((g) => g.split("@")[1] as Target);
      for (const fn of deployed.get(name) ?? []) {
        const settings: Record<string, string> = fn.inputs.environment?.variables ?? {};
        for (const target of targets) {
          expect(settingFor[target].some((s) => settings[s]), `${fn.name} calls a ${target} but has none of ${settingFor[target].join("/")}`).to.equal(true);
        }
      }
    }
  });
});
