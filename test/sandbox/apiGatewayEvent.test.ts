import { expect } from "chai";
import { httpResult, stringClaims } from "../../infra/local/apiGatewayEvent";

describe("sandbox API Gateway payload 2.0 mapping", () => {
  it("passes claims as strings, as API Gateway's JWT authorizer does", () => {
    expect(stringClaims({ sub: "u", exp: 1700000000, email_verified: true, "cognito:groups": ["admin", "users"], address: { x: 1 } })).to.deep.equal({
      sub: "u",
      exp: "1700000000",
      email_verified: "true",
      "cognito:groups": "[admin users]",
      address: '{"x":1}',
    });
  });

  it("maps a structured result's status, headers, cookies and base64 body", () => {
    const result = httpResult({
      statusCode: 201,
      headers: { "X-Count": 2 },
      cookies: ["a=1", "b=2"],
      body: Buffer.from("hi").toString("base64"),
      isBase64Encoded: true,
    });
    expect(result.statusCode).to.equal(201);
    expect(result.headers).to.deep.equal({ "content-type": "application/json", "x-count": "2", "set-cookie": ["a=1", "b=2"] });
    expect(result.body.toString()).to.equal("hi");
  });

  it("answers 200 JSON for a string result or an object without statusCode", () => {
    expect(httpResult('{"a":1}')).to.deep.include({ statusCode: 200 });
    expect(httpResult('{"a":1}').body.toString()).to.equal('{"a":1}');
    expect(httpResult({ a: 1 } as never).body.toString()).to.equal('{"a":1}');
  });
});
