import { expect } from "chai";
import { reachOf } from "./support/handlerCalls";

const fixtures = "test/infra/fixtures/sdkCalls";
const commandsOf = (entry: string) => {
  const calls = reachOf([`${fixtures}/${entry}`], fixtures).get(`${fixtures}/${entry}`)?.calls ?? [];
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
});
