import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from "aws-lambda";
import { expect } from "chai";
import { requirePrerequisite } from "../support/prerequisites";
import type { Sandbox } from "../../infra/local";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { cognitoLocalToken, strangerToken } from "../support/sandboxTokens";
import { signUp, type SignedUp } from "../support/sandboxUsers";

type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

describe("sandbox HTTP API front door", function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let user: SignedUp;
  let calls: Array<{ route: "store" | "views"; event: ApiEvent }>;
  let answer: (event: ApiEvent) => Promise<APIGatewayProxyResultV2>;
  const issuer = () => `${sandbox.urls.cognito}/${sandbox.userPoolId}`;

  before(async () => {
    sandbox = await startTestSandbox({
      webRoot: "/nonexistent/web/dist",
      handlers: {
        autoconfirm: async (event) => ({ ...event, response: { ...event.response, autoConfirmUser: true, autoVerifyEmail: true } }),
        registration: async (event) => event,
        store: async (event) => (calls.push({ route: "store", event }), answer(event)),
        views: async (event) => (calls.push({ route: "views", event }), answer(event)),
      },
    });
    user = await signUp(sandbox, "Grace");
  });
  beforeEach(() => {
    calls = [];
    answer = async () => ({ statusCode: 202, headers: { "x-from-handler": "yes" }, body: '{"ok":true}' });
  });
  after(() => disposeTestSandbox(sandbox));

  const postEvent = (token: string | undefined, body = '{"type":"channel_created","name":"general"}', headers: Record<string, string> = {}) =>
    fetch(`${sandbox.urls.api}/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
      body,
    });

  async function expectUnauthorized(response: Response): Promise<void> {
    expect(response.status).to.equal(401);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).to.equal("unauthorized");
    expect(body.error.message).to.be.a("string").and.not.equal("");
    expect(calls).to.deep.equal([]);
  }

  it("answers 401 without calling the handler when there is no token", async () => {
    await expectUnauthorized(await postEvent(undefined));
  });

  it("answers 401 to a garbage token", async () => {
    await expectUnauthorized(await postEvent("not-a-jwt"));
  });

  it("answers 401 to an expired token of the pool", async () => {
    await expectUnauthorized(await postEvent(await cognitoLocalToken({ issuer: issuer(), audience: sandbox.clientId, expiresIn: -10 })));
  });

  it("answers 401 to a token for another client (audience)", async () => {
    await expectUnauthorized(await postEvent(await cognitoLocalToken({ issuer: issuer(), audience: "another-client" })));
  });

  it("answers 401 to a token from another issuer", async () => {
    await expectUnauthorized(await postEvent(await cognitoLocalToken({ issuer: `${sandbox.urls.cognito}/local_other`, audience: sandbox.clientId })));
  });

  it("answers 401 to a token not signed by the pool's key", async () => {
    await expectUnauthorized(await postEvent(await strangerToken({ issuer: issuer(), audience: sandbox.clientId })));
  });

  it("accepts a token the test signs like the pool, proving the checks above are the only refusals", async () => {
    const response = await postEvent(await cognitoLocalToken({ issuer: issuer(), audience: sandbox.clientId }));
    expect(response.status).to.equal(202);
  });

  it("hands a valid sign-in's request to the store handler as an HTTP API payload 2.0 event", async () => {
    const body = '{"type":"channel_created","name":"general"}';
    const response = await postEvent(user.idToken, body, { "Idempotency-Key": "key-1", cookie: "a=1; b=2" });
    expect(calls).to.have.length(1);
    const { route, event } = calls[0]!;
    expect(route).to.equal("store");
    expect(event).to.include({ version: "2.0", routeKey: "POST /api/events", rawPath: "/api/events", rawQueryString: "", body, isBase64Encoded: false });
    expect(event.headers).to.include({ "content-type": "application/json", "idempotency-key": "key-1" });
    expect(event.headers).to.not.have.property("authorization", undefined);
    expect(event.headers).to.not.have.property("cookie");
    expect(event.cookies).to.deep.equal(["a=1", "b=2"]);
    expect(event.pathParameters).to.equal(undefined);
    const ctx = event.requestContext;
    expect(ctx).to.include({ routeKey: "POST /api/events", stage: "$default", requestId: response.headers.get("apigw-requestid") });
    expect(ctx.http).to.include({ method: "POST", path: "/api/events", protocol: "HTTP/1.1", sourceIp: "127.0.0.1" });
    expect(ctx.timeEpoch).to.be.closeTo(Date.now(), 5000);
    expect(ctx.time).to.match(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(ctx.authorizer.jwt.scopes).to.equal(null);
    const claims = ctx.authorizer.jwt.claims;
    expect(claims).to.include({ sub: user.userSub, email: user.email, name: "Grace", aud: sandbox.clientId, iss: issuer(), token_use: "id" });
    expect(claims.email_verified, "claims are strings, as API Gateway passes them").to.equal("true");
    expect(claims.exp).to.be.a("string").and.match(/^\d+$/);
  });

  it("maps the handler's status, headers and body back to the HTTP response", async () => {
    answer = async () => ({ statusCode: 409, headers: { "Retry-After": 3 }, body: '{"error":{"code":"taken","message":"no"}}' });
    const response = await postEvent(user.idToken);
    expect(response.status).to.equal(409);
    expect(response.headers.get("retry-after")).to.equal("3");
    expect(response.headers.get("content-type")).to.equal("application/json");
    expect(await response.json()).to.deep.equal({ error: { code: "taken", message: "no" } });
  });

  it("routes GET /api/views/{proxy+} to the views handler with the rest of the path as proxy", async () => {
    answer = async () => ({ statusCode: 200, body: "{}" });
    const response = await fetch(`${sandbox.urls.api}/views/channels/abc/pages/0?since=5&a=1&a=2`, {
      headers: { authorization: `Bearer ${user.idToken}` },
    });
    expect(response.status).to.equal(200);
    const { route, event } = calls[0]!;
    expect(route).to.equal("views");
    expect(event).to.include({ routeKey: "GET /api/views/{proxy+}", rawPath: "/api/views/channels/abc/pages/0", rawQueryString: "since=5&a=1&a=2" });
    expect(event.pathParameters).to.deep.equal({ proxy: "channels/abc/pages/0" });
    expect(event.queryStringParameters).to.deep.equal({ since: "5", a: "1,2" });
    expect(event.body).to.equal(undefined);
  });

  it("answers 500 like API Gateway when the handler throws", async () => {
    answer = async () => {
      throw new Error("boom");
    };
    const response = await postEvent(user.idToken);
    expect(response.status).to.equal(500);
    expect(await response.json()).to.deep.equal({ message: "Internal Server Error" });
  });

  it("refuses a body over 1 MiB at the door with 413 JSON, without calling the handler", async () => {
    const response = await postEvent(user.idToken, JSON.stringify({ text: "x".repeat(1024 * 1024) }));
    expect(response.status).to.equal(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal("payload_too_large");
    expect(calls).to.deep.equal([]);
  });

  it("answers an unknown route, or a known path with another method, with 404 JSON", async () => {
    for (const [method, path] of [["GET", "/api/events"], ["POST", "/api/views/channels"], ["GET", "/api/nothing"], ["GET", "/nothing"]]) {
      const response = await fetch(`${sandbox.urls.web}${path}`, { method, headers: { authorization: `Bearer ${user.idToken}` } });
      expect(response.status, `${method} ${path}`).to.equal(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal("not_found");
    }
    expect(calls).to.deep.equal([]);
  });

  it("serves /config.json with the API and WebSocket URLs of the requested host and the pool's ids", async () => {
    const port = new URL(sandbox.urls.web).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      const response = await fetch(`http://${host}/config.json`);
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({
        apiUrl: `http://${host}/api`,
        wsUrl: `ws://${host}/ws`,
        auth: { region: "us-east-1", userPoolId: sandbox.userPoolId, clientId: sandbox.clientId, endpoint: sandbox.urls.cognito },
      });
    }
  });

  it("answers a CORS preflight from the web origin before any authorizer, and not from other origins", async () => {
    const port = new URL(sandbox.urls.web).port;
    const preflight = (origin: string) =>
      fetch(`${sandbox.urls.api}/events`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      });
    const allowed = await preflight(`http://localhost:${port}`);
    expect(allowed.status).to.equal(204);
    expect(allowed.headers.get("access-control-allow-origin")).to.equal(`http://localhost:${port}`);
    expect(allowed.headers.get("access-control-allow-headers")).to.contain("authorization");
    const other = await preflight("http://evil.example");
    expect(other.headers.get("access-control-allow-origin")).to.equal(null);
  });

  it("says the web app is not built yet, linking /config.json, when web/dist is missing", async () => {
    const response = await fetch(`${sandbox.urls.web}/`);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.contain("text/html");
    const html = await response.text();
    expect(html).to.contain("not built yet");
    expect(html).to.contain('href="/config.json"');
  });

  it("also listens on [::1], so http://localhost works whichever address it resolves to", async function () {
    const port = new URL(sandbox.urls.web).port;
    const response = await fetch(`http://[::1]:${port}/config.json`).catch(() => undefined);
    requirePrerequisite(response !== undefined, "an IPv6 loopback ([::1])", () => this.skip());
    expect(response!.status).to.equal(200);
  });
});
