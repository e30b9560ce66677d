import { expect } from "chai";
import { devStack, type Stack } from "./support/program";
import { bundleNameOf, byOutput, list, named, ofType, roleStatements } from "./support/stackQueries";

describe("realtime: the WebSocket API (CONTRACT §6)", () => {
  let stack: Stack;
  before(async function () {
    // The program runs under mocks: slower than the suite's 30 s default on a loaded machine.
    this.timeout(180_000);
    stack = await devStack();
  });
  const ws = () => ofType(stack, "aws:apigatewayv2/api:Api").find((a) => a.inputs.protocolType === "WEBSOCKET")!;
  const routeTo = async (routeKey: string) => {
    const route = ofType(stack, "aws:apigatewayv2/route:Route").find((r) => r.inputs.apiId === ws().id && r.inputs.routeKey === routeKey)!;
    const integration = ofType(stack, "aws:apigatewayv2/integration:Integration").find((i) => route.inputs.target === `integrations/${i.id}`)!;
    return { route, bundle: await bundleNameOf(byOutput(stack, "aws:lambda/function:Function", "invokeArn", integration.inputs.integrationUri)) };
  };
  const notify = () => byOutput(stack, "aws:lambda/function:Function", "arn", named(stack, "aws:cloudwatch/eventTarget:EventTarget", "notify-live-target").inputs.arn);

  it("refuses a socket before any function of ours runs unless the token query parameter passes the wsAuthorizer", async () => {
    const { route, bundle } = await routeTo("$connect");
    expect(bundle).to.equal("connect");
    const authorizer = ofType(stack, "aws:apigatewayv2/authorizer:Authorizer").find((a) => a.id === route.inputs.authorizerId)!;
    expect(route.inputs.authorizationType).to.equal("CUSTOM");
    expect(authorizer.inputs).to.deep.include({ apiId: ws().id, authorizerType: "REQUEST", identitySources: ["route.request.querystring.token"] });
    const fn = byOutput(stack, "aws:lambda/function:Function", "invokeArn", authorizer.inputs.authorizerUri);
    expect(await bundleNameOf(fn)).to.equal("wsAuthorizer");
    expect(fn.inputs.environment.variables).to.deep.equal({
      NODE_OPTIONS: "--enable-source-maps",
      USER_POOL_ID: stack.outputs.userPoolId,
      USER_POOL_CLIENT_ID: stack.outputs.userPoolClientId,
    });
  });

  it("forgets a connection on $disconnect", async () => {
    expect((await routeTo("$disconnect")).bundle).to.equal("disconnect");
  });

  it("keeps connections in their own on-demand table whose items expire (TTL on expiresAt)", () => {
    const table = byOutput(stack, "aws:dynamodb/table:Table", "name", stack.outputs.connectionsTableName);
    expect(table.inputs).to.deep.include({ billingMode: "PAY_PER_REQUEST", hashKey: "pk", rangeKey: "sk" });
    expect(table.inputs.ttl).to.deep.equal({ attributeName: "expiresAt", enabled: true });
  });

  const routeFunction = (routeKey: string) => {
    const route = ofType(stack, "aws:apigatewayv2/route:Route").find((r) => r.inputs.apiId === ws().id && r.inputs.routeKey === routeKey)!;
    const integration = ofType(stack, "aws:apigatewayv2/integration:Integration").find((i) => route.inputs.target === `integrations/${i.id}`)!;
    return byOutput(stack, "aws:lambda/function:Function", "invokeArn", integration.inputs.integrationUri);
  };
  /** `action on resource` for every statement of the role that names a DynamoDB table. */
  const tableGrants = (fn: ReturnType<typeof routeFunction>) => {
    const tables = new Map(ofType(stack, "aws:dynamodb/table:Table").map((t) => [t.state.arn, t.state.name === stack.outputs.connectionsTableName ? "connections" : t.state.name]));
    return roleStatements(stack, fn)
      .flatMap((s) => list(s.Resource).filter((r) => tables.has(r)).flatMap((r) => list(s.Action).map((a) => `${a} on ${tables.get(r)}`)))
      .sort();
  };

  it("lets $connect write only the connections table (its connection, its entries in channels, taken out again if it closed meanwhile) and read only the users' views", () => {
    const connect = routeFunction("$connect");
    expect(tableGrants(connect)).to.deep.equal([
      "dynamodb:DeleteItem on connections",
      "dynamodb:GetItem on connections",
      "dynamodb:PutItem on connections",
      "dynamodb:Query on connections",
      "dynamodb:UpdateItem on connections",
    ]);
    const bucket = ofType(stack, "aws:s3/bucket:Bucket").find((b) => b.state.bucket === connect.inputs.environment.variables.VIEWS_BUCKET)!;
    const objects = roleStatements(stack, connect).flatMap((s) => list(s.Resource).filter((r) => r.startsWith(`${bucket.state.arn}/`)).map((r) => `${list(s.Action).join()} ${r.slice(bucket.state.arn.length)}`));
    expect(objects.sort()).to.deep.equal(["s3:GetObject /generations.json", "s3:GetObject /user/*"]);
    expect(connect.inputs.environment.variables).to.not.have.property("EVENTS_TABLE");
  });

  it("lets $disconnect only delete from the connections table, and notify only read the event table", () => {
    expect(tableGrants(routeFunction("$disconnect"))).to.deep.equal(["dynamodb:DeleteItem on connections"]);
    const events = tableGrants(notify()).filter((g) => !g.endsWith(" on connections"));
    expect(events.map((g) => g.split(" ")[0]).sort()).to.deep.equal(["dynamodb:GetItem", "dynamodb:Query"]);
  });

  it("lets the notify function post to this API's connections only, at the endpoint it is given", () => {
    const stage = ofType(stack, "aws:apigatewayv2/stage:Stage").find((s) => s.inputs.apiId === ws().id)!;
    const manage = roleStatements(stack, notify()).filter((s) => [s.Action].flat().includes("execute-api:ManageConnections"));
    expect(manage.flatMap((s) => [s.Resource].flat())).to.deep.equal([`${ws().state.executionArn}/${stage.inputs.name}/POST/@connections/*`]);
    expect(notify().inputs.environment.variables.WS_ENDPOINT).to.equal(`https://${ws().id}.execute-api.${stack.config["aws:region"]}.amazonaws.com/${stage.inputs.name}`);
  });

  it("lets API Gateway invoke the authorizer and the route functions for this API only", () => {
    const grants = ofType(stack, "aws:lambda/permission:Permission").filter((p) => p.inputs.sourceArn?.startsWith(`${ws().state.executionArn}/`));
    expect(grants.map((g) => g.inputs.sourceArn.slice(ws().state.executionArn.length)).sort()).to.deep.equal([
      "/*/$connect",
      "/*/$disconnect",
      `/authorizers/${ofType(stack, "aws:apigatewayv2/authorizer:Authorizer").find((a) => a.inputs.apiId === ws().id)!.id}`,
    ]);
  });

  it("exports wss://…/<stage> as wsUrl, and config.json gives the same to the web app", () => {
    const stage = ofType(stack, "aws:apigatewayv2/stage:Stage").find((s) => s.inputs.apiId === ws().id)!;
    expect(stack.outputs.wsUrl).to.equal(`${ws().state.apiEndpoint}/${stage.inputs.name}`);
    expect(String(stack.outputs.wsUrl)).to.match(/^wss:\/\//);
    expect(JSON.parse(named(stack, "aws:s3/bucketObjectv2:BucketObjectv2", "web-config.json").inputs.content).wsUrl).to.equal(stack.outputs.wsUrl);
  });
});
