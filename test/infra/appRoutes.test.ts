import { expect } from "chai";
import { functions } from "../../functions/handlers";
import { devStack, readStackConfig, runProgram, type Stack } from "./support/program";
import { bundleNameOf, byOutput, ofType } from "./support/stackQueries";

/** The HTTP API's routes for apps, webhooks and the Slack Web API (CONTRACT §13). */
describe("apps, webhooks and the Slack routes on the HTTP API", () => {
  const httpApi = (stack: Stack) => ofType(stack, "aws:apigatewayv2/api:Api").find((a) => a.inputs.protocolType === "HTTP")!;
  const route = (stack: Stack, routeKey: string) => ofType(stack, "aws:apigatewayv2/route:Route").find((r) => r.inputs.apiId === httpApi(stack).id && r.inputs.routeKey === routeKey);
  const functionOf = (stack: Stack, routeKey: string) => {
    const integration = ofType(stack, "aws:apigatewayv2/integration:Integration").find((i) => route(stack, routeKey)!.inputs.target === `integrations/${i.id}`)!;
    return byOutput(stack, "aws:lambda/function:Function", "invokeArn", integration.inputs.integrationUri);
  };

  describe("the dev stack", () => {
    let stack: Stack;
    before(async () => {
      stack = await devStack();
    });

    it("leaves a webhook's route open (its URL's secret is the credential) and throttles it on its own, as the stack's config says", () => {
      const hooks = route(stack, "POST /hooks/{webhookId}/{secret}")!;
      expect(hooks.inputs.authorizationType).to.equal("NONE");
      expect(hooks.inputs.authorizerId).to.equal(undefined);
      const stage = ofType(stack, "aws:apigatewayv2/stage:Stage").find((s) => s.inputs.apiId === httpApi(stack).id)!;
      expect(stage.inputs.routeSettings).to.deep.equal([
        {
          routeKey: "POST /hooks/{webhookId}/{secret}",
          throttlingBurstLimit: Number(stack.config["chat:webhookThrottleBurst"]),
          throttlingRateLimit: Number(stack.config["chat:webhookThrottleRate"]),
        },
      ]);
      expect(Number(stack.config["chat:webhookThrottleRate"])).to.be.below(Number(stack.config["chat:apiThrottleRate"]));
    });

    it("has the Slack route exactly when the build has the slack function", () => {
      expect(route(stack, "POST /slack/{method}") !== undefined).to.equal("slack" in functions);
    });
  });

  describe("a build with the Slack Web API's function", () => {
    let stack: Stack;
    before(async () => {
      stack = await runProgram("dev", readStackConfig("Pulumi.dev.yaml"), {
        "functions/handlers.ts": (actual) => ({ ...actual, functions: { ...actual.functions, slack: { entry: "functions/slack/handler.ts", memoryMb: 256, timeoutSeconds: 10 } } }),
      });
    });

    it("routes POST and GET /slack/{method} to the slack function behind a Lambda authorizer: REQUEST, payload 2.0, simple responses, nothing cached", async () => {
      const slack = route(stack, "POST /slack/{method}")!;
      for (const routeKey of ["POST /slack/{method}", "GET /slack/{method}"]) {
        expect(await bundleNameOf(functionOf(stack, routeKey)), routeKey).to.equal("slack");
        expect(route(stack, routeKey)!.inputs, routeKey).to.deep.include({ authorizationType: "CUSTOM", authorizerId: slack.inputs.authorizerId });
      }
      const authorizer = ofType(stack, "aws:apigatewayv2/authorizer:Authorizer").find((a) => a.id === slack.inputs.authorizerId)!;
      expect(authorizer.inputs).to.deep.include({
        apiId: httpApi(stack).id,
        authorizerType: "REQUEST",
        authorizerPayloadFormatVersion: "2.0",
        enableSimpleResponses: true,
        authorizerResultTtlInSeconds: 0,
      });
      // No identity source: called without a token too, so Slack's clients get Slack's `not_authed`.
      expect(authorizer.inputs.identitySources ?? []).to.deep.equal([]);
      const fn = byOutput(stack, "aws:lambda/function:Function", "invokeArn", authorizer.inputs.authorizerUri);
      expect(await bundleNameOf(fn)).to.equal("slackAuthorizer");
      const grants = ofType(stack, "aws:lambda/permission:Permission").filter((p) => p.inputs.function === fn.state.name);
      expect(grants.map((g) => [g.inputs.principal, g.inputs.sourceArn])).to.deep.equal([["apigateway.amazonaws.com", `${httpApi(stack).state.executionArn}/authorizers/${authorizer.id}`]]);
    });

    it("has the authorizer check people's ID tokens against the stack's own pool and web client", () => {
      const fn = byOutput(stack, "aws:lambda/function:Function", "invokeArn", ofType(stack, "aws:apigatewayv2/authorizer:Authorizer").find((a) => a.inputs.authorizerType === "REQUEST")!.inputs.authorizerUri);
      const pool = ofType(stack, "aws:cognito/userPool:UserPool")[0]!;
      const client = ofType(stack, "aws:cognito/userPoolClient:UserPoolClient")[0]!;
      expect(fn.inputs.environment.variables).to.deep.include({ USER_POOL_ID: pool.id, USER_POOL_CLIENT_ID: client.id });
    });
  });
});
