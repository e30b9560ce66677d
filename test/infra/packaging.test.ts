import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { functions } from "../../functions/handlers";
import { bundleDir } from "../../infra/aws/bundles";
import { buildOnce, devStack, root, type Stack } from "./support/program";
import { archivePathOf, bundleNameOf, lambdas } from "./support/stackQueries";

describe("Lambda packaging: npm run build, then one FileArchive per function", () => {
  let stack: Stack;
  before(async () => {
    await buildOnce();
    stack = await devStack();
  });

  it("builds every function of functions/handlers.ts into dist/functions/<name>/index.js with its source map", () => {
    for (const name of Object.keys(functions)) {
      const dir = path.join(root, bundleDir(name));
      expect(statSync(path.join(dir, "index.js")).size, name).to.be.greaterThan(0);
      expect(existsSync(path.join(dir, "index.js.map")), `${name} source map`).to.equal(true);
    }
  });

  it("builds bundles that load on their own and export handler (the SDK is inside, not taken from the runtime)", () => {
    for (const name of Object.keys(functions)) {
      const bundle = require(path.join(root, bundleDir(name), "index.js")) as { handler?: unknown };
      expect(typeof bundle.handler, name).to.equal("function");
    }
  });

  it("deploys every Lambda's code as a FileArchive of a folder the build wrote", async () => {
    expect(lambdas(stack)).to.not.be.empty;
    for (const fn of lambdas(stack)) {
      expect(fn.inputs.code?.constructor?.name, fn.name).to.equal("FileArchive");
      const dir = await archivePathOf(fn);
      expect(existsSync(path.join(root, dir!, "index.js")), `${fn.name}: ${dir}/index.js`).to.equal(true);
    }
  });

  it("runs every Lambda on nodejs22.x, arm64, index.handler, with the memory and timeout of functions/handlers.ts", async () => {
    for (const fn of lambdas(stack)) {
      const spec = functions[(await bundleNameOf(fn)) as keyof typeof functions];
      expect(fn.inputs, fn.name).to.deep.include({ runtime: "nodejs22.x", handler: "index.handler", memorySize: spec.memoryMb, timeout: spec.timeoutSeconds });
      expect(fn.inputs.architectures, fn.name).to.deep.equal(["arm64"]);
    }
  });

  it("logs each function as JSON into its own log group, kept for the stack's retention", () => {
    for (const fn of lambdas(stack)) {
      expect(fn.inputs.loggingConfig.logFormat, fn.name).to.equal("JSON");
      const group = stack.resources.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.state.name === fn.inputs.loggingConfig.logGroup);
      expect(group?.inputs.retentionInDays, fn.name).to.equal(Number(stack.config["chat:logRetentionDays"]));
    }
  });
});
