import { expect } from "chai";
import { mockRegion } from "./support/mocks";
import { bundleNameOf, byOutput, named, ofType } from "./support/stackQueries";
import { devStack, type Stack } from "./support/program";

describe("the front doors: HTTP API and Cognito", () => {
  let stack: Stack;
  before(async () => {
    stack = await devStack();
  });
  const httpApi = () => ofType(stack, "aws:apigatewayv2/api:Api").find((a) => a.inputs.protocolType === "HTTP")!;
  const pool = () => ofType(stack, "aws:cognito/userPool:UserPool")[0]!;
  const client = () => ofType(stack, "aws:cognito/userPoolClient:UserPoolClient")[0]!;

  describe("HTTP API", () => {
    it("has exactly the contract's routes: POST /events and PUT /read-marks/{channelId} to the store, GET /views/{proxy+} to the views, GET /search to the query function, the apps routes to apps, a webhook's to webhook, the Slack methods to slack", async () => {
      const routes = ofType(stack, "aws:apigatewayv2/route:Route").filter((r) => r.inputs.apiId === httpApi().id);
      const served: Record<string, string> = {};
      for (const route of routes) {
        const integration = ofType(stack, "aws:apigatewayv2/integration:Integration").find((i) => route.inputs.target === `integrations/${i.id}`)!;
        expect(integration.inputs).to.deep.include({ integrationType: "AWS_PROXY", payloadFormatVersion: "2.0" });
        served[route.inputs.routeKey] = await bundleNameOf(byOutput(stack, "aws:lambda/function:Function", "invokeArn", integration.inputs.integrationUri));
      }
      expect(served).to.deep.equal({
        "POST /events": "store",
        "PUT /read-marks/{channelId}": "store",
        "GET /views/{proxy+}": "views",
        "GET /search": "query",
        "POST /slack/{method}": "slack",
        "GET /slack/{method}": "slack",
        "POST /apps": "apps",
        "GET /apps": "apps",
        "DELETE /apps/{appId}": "apps",
        "POST /apps/{appId}/webhooks": "apps",
        "POST /hooks/{webhookId}/{secret}": "webhook",
      });
    });

    it("requires on every route but a webhook's and the Slack methods' (test/infra/appRoutes.test.ts) a Cognito JWT: issued by the stack's user pool, for its web client", () => {
      const authorizers = ofType(stack, "aws:apigatewayv2/authorizer:Authorizer").filter((a) => a.inputs.apiId === httpApi().id);
      expect(authorizers.map((a) => a.inputs.authorizerType).sort()).to.deep.equal(["JWT", "REQUEST"]);
      const jwt = authorizers.find((a) => a.inputs.authorizerType === "JWT")!;
      expect(jwt.inputs.authorizerType).to.equal("JWT");
      expect(jwt.inputs.identitySources).to.deep.equal(["$request.header.Authorization"]);
      expect(jwt.inputs.jwtConfiguration).to.deep.equal({
        issuer: `https://cognito-idp.${mockRegion}.amazonaws.com/${pool().id}`,
        audiences: [client().id],
      });
      for (const route of ofType(stack, "aws:apigatewayv2/route:Route").filter((r) => r.inputs.apiId === httpApi().id && !r.inputs.routeKey.startsWith("POST /hooks/") && !r.inputs.routeKey.includes(" /slack/"))) {
        expect(route.inputs, route.inputs.routeKey).to.deep.include({ authorizationType: "JWT", authorizerId: jwt.id });
      }
    });

    it("allows cross-origin calls from the site's origin only, with the headers the contract uses", () => {
      const site = ofType(stack, "aws:cloudfront/distribution:Distribution")[0]!;
      const cors = httpApi().inputs.corsConfiguration;
      expect(cors.allowOrigins).to.deep.equal([`https://${site.state.domainName}`]);
      expect(cors.allowHeaders).to.include.members(["authorization", "content-type", "idempotency-key"]);
      expect(cors.allowMethods).to.include.members(["GET", "POST", "PUT", "DELETE"]);
      expect(cors.exposeHeaders).to.include("retry-after");
    });

    it("throttles the stage as the stack's config says and logs requests without their headers", () => {
      const stage = ofType(stack, "aws:apigatewayv2/stage:Stage").find((s) => s.inputs.apiId === httpApi().id)!;
      expect(stage.inputs).to.deep.include({ name: "$default", autoDeploy: true });
      expect(stage.inputs.defaultRouteSettings).to.deep.include({
        throttlingBurstLimit: Number(stack.config["chat:apiThrottleBurst"]),
        throttlingRateLimit: Number(stack.config["chat:apiThrottleRate"]),
      });
      const format = stage.inputs.accessLogSettings.format as string;
      expect(JSON.parse(format)).to.be.an("object");
      expect(format.toLowerCase()).to.not.match(/authorization|\$context\.identity\.(?!sourceip)|header/);
    });

    it("lets API Gateway invoke each function for this API's own route only", () => {
      const api = httpApi();
      const grants = ofType(stack, "aws:lambda/permission:Permission").filter((p) => p.inputs.principal === "apigateway.amazonaws.com" && p.inputs.sourceArn.startsWith(api.state.executionArn));
      expect(grants.map((g) => g.inputs.sourceArn).sort()).to.deep.equal([
        `${api.state.executionArn}/*/DELETE/apps/*`,
        `${api.state.executionArn}/*/GET/apps`,
        `${api.state.executionArn}/*/GET/search`,
        `${api.state.executionArn}/*/GET/slack/*`,
        `${api.state.executionArn}/*/GET/views/*`,
        `${api.state.executionArn}/*/POST/apps`,
        `${api.state.executionArn}/*/POST/apps/*/webhooks`,
        `${api.state.executionArn}/*/POST/events`,
        `${api.state.executionArn}/*/POST/hooks/*/*`,
        `${api.state.executionArn}/*/POST/slack/*`,
        `${api.state.executionArn}/*/PUT/read-marks/*`,
        // The Slack routes' Lambda authorizer, invoked by API Gateway for this API's authorizer only.
        ...ofType(stack, "aws:apigatewayv2/authorizer:Authorizer")
          .filter((a) => a.inputs.apiId === api.id && a.inputs.authorizerType === "REQUEST")
          .map((a) => `${api.state.executionArn}/authorizers/${a.id}`),
      ]);
    });

    it("exports its URL as apiUrl, and config.json gives the same to the web app", () => {
      expect(stack.outputs.apiUrl).to.equal(httpApi().state.apiEndpoint);
      const config = JSON.parse(named(stack, "aws:s3/bucketObjectv2:BucketObjectv2", "web-config.json").inputs.content);
      expect(config.apiUrl).to.equal(stack.outputs.apiUrl);
    });
  });

  describe("Cognito", () => {
    it("signs people in by email and requires a display name", () => {
      const p = pool().inputs;
      expect(p.usernameAttributes).to.deep.equal(["email"]);
      expect(p.autoVerifiedAttributes).to.deep.equal(["email"]);
      expect(p.schemas).to.deep.include.members([
        { name: "name", attributeDataType: "String", required: true, mutable: true, stringAttributeConstraints: { minLength: "0", maxLength: "2048" } },
      ]);
    });

    it("matches emails whatever their case (usernameConfiguration.caseSensitive false, set explicitly: CreateUserPool's own default is case-sensitive)", () => {
      expect(pool().inputs.usernameConfiguration).to.deep.equal({ caseSensitive: false });
    });

    it("gives the web app a public client: no secret, SRP and password sign-in, refresh tokens", () => {
      const c = client().inputs;
      expect(c.userPoolId).to.equal(pool().id);
      expect(c.generateSecret).to.equal(false);
      expect([...c.explicitAuthFlows].sort()).to.deep.equal(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]);
      expect(c.preventUserExistenceErrors).to.equal("ENABLED");
    });

    it("records user_registered on confirmation: the registration bundle is the PostConfirmation trigger, invokable by this pool only", async () => {
      const trigger = byOutput(stack, "aws:lambda/function:Function", "arn", pool().inputs.lambdaConfig.postConfirmation);
      expect(await bundleNameOf(trigger)).to.equal("registration");
      const grant = ofType(stack, "aws:lambda/permission:Permission").filter((p) => p.inputs.function === trigger.state.name);
      expect(grant.map((g) => [g.inputs.principal, g.inputs.sourceArn])).to.deep.equal([["cognito-idp.amazonaws.com", pool().state.arn]]);
    });

    it("confirms sign-ups at once on the dev stack (autoConfirmSignUps: true): the autoconfirm bundle is the PreSignUp trigger", async () => {
      expect(stack.config["chat:autoConfirmSignUps"]).to.equal("true");
      const trigger = byOutput(stack, "aws:lambda/function:Function", "arn", pool().inputs.lambdaConfig.preSignUp);
      expect(await bundleNameOf(trigger)).to.equal("autoconfirm");
      expect(ofType(stack, "aws:lambda/permission:Permission").some((p) => p.inputs.function === trigger.state.name && p.inputs.sourceArn === pool().state.arn)).to.equal(true);
    });

    it("exports the pool and client ids, and config.json gives them with the region and no endpoint", () => {
      expect(stack.outputs.userPoolId).to.equal(pool().id);
      expect(stack.outputs.userPoolClientId).to.equal(client().id);
      const config = JSON.parse(named(stack, "aws:s3/bucketObjectv2:BucketObjectv2", "web-config.json").inputs.content);
      expect(config.auth).to.deep.equal({ region: stack.config["aws:region"], userPoolId: pool().id, clientId: client().id });
    });
  });
});
