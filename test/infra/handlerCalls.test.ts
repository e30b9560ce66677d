import { expect } from "chai";
import { reachOf } from "./support/handlerCalls";

const fixtures = "test/infra/fixtures/sdkCalls";
const reachOfFixture = (entry: string) => reachOf([`${fixtures}/${entry}`], fixtures).get(`${fixtures}/${entry}`)!;
const commandsOf = (entry: string) => {
  const calls = reachOfFixture(entry).calls;
  return calls.map((c) => `${c.pkg}:${c.command}${c.onIndex ? "@index" : ""}`).sort();
};

describe("reading what a handler calls from its code", () => {
  it("follows a call through a port to the instantiated adapter, and skips the adapter methods never called", () => {
    expect(commandsOf("readsThroughPort.ts")).to.deep.equal(["@aws-sdk/client-s3:GetObjectCommand"]);
  });

  it("follows a wrapper object of the port's type only into the members called through the port", () => {
    expect(commandsOf("readsThroughWrapper.ts")).to.deep.equal(["@aws-sdk/client-s3:GetObjectCommand"]);
  });

  it("ignores adapters that are imported but never instantiated", () => {
    expect(commandsOf("readsThroughPort.ts").some((c) => c.includes("lib-dynamodb"))).to.equal(false);
  });

  it("finds commands of an adapter built inside the handler, and marks a query on an index", () => {
    expect(commandsOf("writesWithDynamo.ts")).to.deep.equal(["@aws-sdk/lib-dynamodb:PutCommand", "@aws-sdk/lib-dynamodb:QueryCommand@index"]);
  });

  it("says which class of ours constructs each command, which builders the code refers to, and which projections it names", () => {
    const reach = reachOfFixture("namesKeys.ts");
    expect(reach.calls.map((c) => `${c.command} in ${c.inClass}`)).to.deep.equal(["PutCommand in DynamoStore"]);
    expect(reach.references).to.include(`${fixtures}/keys.ts#itemKey`).and.not.include(`${fixtures}/keys.ts#unusedKey`);
    expect(reach.projections).to.deep.equal(["user"]);
  });
});
