import { expect } from "chai";
import * as lambda from "../../infra/local/lambda";
import { removeDir, tempDataDir, testContext } from "../support/sandboxContext";

describe("sandbox Lambda Invoke API stand-in", () => {
  let dir: string;
  let service: lambda.LambdaService;
  const events: unknown[] = [];

  before(async () => {
    dir = await tempDataDir();
    service = await lambda.start(testContext(dir), {
      echo: async (event) => (events.push(event), { ...(event as object), response: { ok: true } }),
      broken: async () => {
        throw new TypeError("bad input");
      },
    });
  });
  after(async () => {
    await service.stop();
    await removeDir(dir);
  });

  const invoke = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, { method: "POST", body: JSON.stringify(body), headers });

  it("answers a RequestResponse invoke with the handler's result", async () => {
    const response = await invoke("echo", { a: 1 });
    expect(response.status).to.equal(200);
    expect(response.headers.get("x-amz-function-error")).to.equal(null);
    expect(await response.json()).to.deep.equal({ a: 1, response: { ok: true } });
  });

  it("finds a function by its ARN too", async () => {
    const response = await invoke("arn:aws:lambda:us-east-1:000000000000:function:echo", { b: 2 });
    expect(await response.json()).to.deep.equal({ b: 2, response: { ok: true } });
  });

  it("reports a handler that throws as Lambda does: 200 with X-Amz-Function-Error and the error", async () => {
    const response = await invoke("broken", {});
    expect(response.status).to.equal(200);
    expect(response.headers.get("x-amz-function-error")).to.equal("Unhandled");
    expect(await response.json()).to.include({ errorType: "TypeError", errorMessage: "bad input" });
  });

  it("answers 404 ResourceNotFoundException for an unknown function", async () => {
    const response = await invoke("nope", {});
    expect(response.status).to.equal(404);
    expect(response.headers.get("x-amzn-errortype")).to.equal("ResourceNotFoundException");
  });

  it("answers an Event invoke with 202 and runs the handler anyway", async () => {
    const before = events.length;
    const response = await invoke("echo", { async: true }, { "x-amz-invocation-type": "Event" });
    expect(response.status).to.equal(202);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events.slice(before)).to.deep.equal([{ async: true }]);
  });
});
