/**
 * The WebSocket `$connect` authorizer (functions/wsAuthorizer/handler.ts), called as API
 * Gateway calls it, against a pool whose keys a local server publishes: a bad token is
 * refused with a Deny policy and never counts as a failure of the function (its errors
 * alarm pages someone); only not being able to check a token does.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { expect } from "chai";
import publicKey from "cognito-local/lib/keys/cognitoLocal.public.json";
import { handler } from "../../functions/wsAuthorizer/handler";
import { cognitoLocalToken, strangerToken } from "../support/sandboxTokens";

const methodArn = "arn:aws:execute-api:us-east-1:123456789012:abcdef123/live/$connect";
const clientId = "web-client";

const connect = (token?: string) =>
  handler({
    type: "REQUEST",
    methodArn,
    queryStringParameters: token === undefined ? {} : { token },
    requestContext: { routeKey: "$connect", eventType: "CONNECT" },
  } as unknown as APIGatewayRequestAuthorizerEvent);

const effectOf = async (token?: string) => (await connect(token)).policyDocument.Statement.map((s) => s.Effect).join();

describe("WebSocket authorizer: a bad token is a Deny, not a failure", () => {
  let server: Server;
  let endpoint: string;
  const saved: Record<string, string | undefined> = {};
  const setEnv = (values: Record<string, string>) => {
    for (const [key, value] of Object.entries(values)) {
      if (!(key in saved)) saved[key] = process.env[key];
      process.env[key] = value;
    }
  };
  const issuer = (pool: string) => `${endpoint}/${pool}`;

  before(async () => {
    server = createServer((req, res) => {
      if (!req.url?.endsWith("/.well-known/jwks.json")) return res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [publicKey.jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    setEnv({ AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint, USER_POOL_ID: "local_pool", USER_POOL_CLIENT_ID: clientId });
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("allows a valid ID token of the pool's client, as its user", async () => {
    const answer = await connect(await cognitoLocalToken({ issuer: issuer("local_pool"), audience: clientId, claims: { sub: "u-1" } }));
    expect(answer).to.deep.equal({
      principalId: "u-1",
      policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: methodArn }] },
      context: { userId: "u-1" },
    });
  });

  it("answers every bad token with a Deny policy on the route, without throwing", async () => {
    const pool = issuer("local_pool");
    const bad: Record<string, string | undefined> = {
      missing: undefined,
      garbage: "not-a-jwt",
      forged: await strangerToken({ issuer: pool, audience: clientId }),
      expired: await cognitoLocalToken({ issuer: pool, audience: clientId, expiresIn: -10 }),
      "another client": await cognitoLocalToken({ issuer: pool, audience: "another-client" }),
      "another pool": await cognitoLocalToken({ issuer: issuer("local_other"), audience: clientId }),
      "an access token": await cognitoLocalToken({ issuer: pool, audience: clientId, claims: { token_use: "access" } }),
    };
    const effects: Record<string, string> = {};
    for (const [name, token] of Object.entries(bad)) effects[name] = await effectOf(token);
    expect(effects).to.deep.equal(Object.fromEntries(Object.keys(bad).map((name) => [name, "Deny"])));
    expect((await connect("not-a-jwt")).policyDocument.Statement).to.deep.equal([{ Action: "execute-api:Invoke", Effect: "Deny", Resource: methodArn }]);
  });

  it("fails (an error the alarm sees) when it cannot get the pool's keys to check a token", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const unreachable = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    setEnv({ AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: unreachable, USER_POOL_ID: "local_gone" });
    try {
      const token = await cognitoLocalToken({ issuer: `${unreachable}/local_gone`, audience: clientId });
      const outcome = await connect(token).then(
        () => "answered",
        () => "failed",
      );
      expect(outcome).to.equal("failed");
    } finally {
      setEnv({ AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint, USER_POOL_ID: "local_pool" });
    }
  });
});
