import { expect } from "chai";
import { devStack, readStackConfig, runProgram, type Stack } from "./support/program";
import { byOutput, named, ofType } from "./support/stackQueries";

describe("other stacks and a changing routing table", () => {
  describe("the production example (Pulumi.prod.yaml.example)", () => {
    let prod: Stack;
    before(async () => {
      prod = await runProgram("prod", readStackConfig("Pulumi.prod.yaml.example"));
    });

    it("protects the event store and the user pool from deletion", () => {
      expect(byOutput(prod, "aws:dynamodb/table:Table", "name", prod.outputs.eventTableName).inputs.deletionProtectionEnabled).to.equal(true);
      expect(ofType(prod, "aws:cognito/userPool:UserPool")[0]!.inputs.deletionProtection).to.equal("ACTIVE");
    });

    it("has Cognito check email addresses: no PreSignUp trigger, no autoconfirm function", () => {
      expect(ofType(prod, "aws:cognito/userPool:UserPool")[0]!.inputs.lambdaConfig.preSignUp).to.equal(undefined);
      expect(ofType(prod, "chat:lambda:Function").map((f) => f.name)).to.not.include("auth-autoconfirm");
    });

    it("mails its confirmation codes through the SES identity its settings name, not Cognito's few-a-day sender", async () => {
      expect(ofType(prod, "aws:cognito/userPool:UserPool")[0]!.inputs.emailConfiguration).to.deep.equal({
        emailSendingAccount: "DEVELOPER",
        sourceArn: prod.config["chat:sesSourceArn"],
        fromEmailAddress: prod.config["chat:sesFromEmailAddress"],
      });
      expect(prod.config["chat:sesSourceArn"]).to.match(/^arn:aws:ses:eu-west-1:\d{12}:identity\//);
      // The dev stack confirms sign-ups itself and keeps Cognito's default sender.
      expect(ofType(await devStack(), "aws:cognito/userPool:UserPool")[0]!.inputs.emailConfiguration).to.equal(undefined);
    });

    it("keeps archived events and logs as long as its settings say, in its own region", () => {
      expect(ofType(prod, "aws:cloudwatch/eventArchive:EventArchive")[0]!.inputs.retentionDays).to.equal(365);
      for (const group of ofType(prod, "aws:cloudwatch/logGroup:LogGroup")) expect(group.inputs.retentionInDays, group.name).to.equal(90);
      const jwt = ofType(prod, "aws:apigatewayv2/authorizer:Authorizer").find((a) => a.inputs.authorizerType === "JWT")!;
      expect(jwt.inputs.jwtConfiguration.issuer).to.match(/^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\//);
      expect(prod.outputs.dashboardName).to.equal("chat-prod");
    });
  });

  describe("a routing table with one more entry", () => {
    let stack: Stack;
    const mentions = ["message_sent", "message_edited"];
    before(async () => {
      stack = await runProgram("dev", readStackConfig("Pulumi.dev.yaml"), {
        "functions/domain/routes.ts": (actual) => ({
          ...actual,
          routes: { ...actual.routes, mentions },
          projectionNames: [...actual.projectionNames, "mentions"],
        }),
      });
    });

    it("gets a Projection for it, whose rules receive exactly its detail-types, on the shared projection bundle", () => {
      expect(ofType(stack, "chat:events:Projection").map((p) => p.name)).to.include("mentions");
      for (const kind of ["live", "replay"]) {
        expect(JSON.parse(named(stack, "aws:cloudwatch/eventRule:EventRule", `mentions-${kind}`).inputs.eventPattern)["detail-type"]).to.deep.equal(mentions);
      }
      const fn = byOutput(stack, "aws:lambda/function:Function", "arn", named(stack, "aws:cloudwatch/eventTarget:EventTarget", "mentions-live-target").inputs.arn);
      expect(fn.inputs.environment.variables.PROJECTION).to.equal("mentions");
      expect((stack.outputs.deadLetterQueueUrls as Record<string, string>).mentions).to.be.a("string");
    });
  });

  describe("before functions/handlers.ts declares the WebSocket functions", () => {
    let stack: Stack;
    before(async () => {
      const realtime = ["notify", "connect", "disconnect", "wsAuthorizer"];
      stack = await runProgram("dev", readStackConfig("Pulumi.dev.yaml"), {
        "functions/handlers.ts": (actual) => ({
          ...actual,
          functions: Object.fromEntries(Object.entries(actual.functions).filter(([name]) => !realtime.includes(name))),
        }),
        "functions/domain/routes.ts": (actual) => {
          const { notify: _notify, ...routes } = actual.routes;
          return { ...actual, routes, projectionNames: Object.keys(routes) };
        },
      });
    });

    it("deploys no WebSocket API, exports no wsUrl and leaves wsUrl out of config.json", () => {
      expect(ofType(stack, "aws:apigatewayv2/api:Api").map((a) => a.inputs.protocolType)).to.deep.equal(["HTTP"]);
      expect(stack.outputs.wsUrl).to.equal(undefined);
      expect(JSON.parse(named(stack, "aws:s3/bucketObjectv2:BucketObjectv2", "web-config.json").inputs.content)).to.not.have.property("wsUrl");
    });
  });
});
