import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { appendPolicy } from "./apiPolicies";
import type { BundleArgs } from "./auth";
import { httpRoute } from "./httpRoute";
import { partitionKeysLike, tableKeys } from "./keyPatterns";
import { LambdaFunction, type PolicyStatement, type SharedResources, sharedSettings } from "./lambdaFunction";

export interface AppRoutesArgs {
  /** The HTTP API the routes are added to, and its JWT authorizer (people's ID tokens). */
  api: aws.apigatewayv2.Api;
  jwtAuthorizerId: pulumi.Input<string>;
  /** POST/GET /apps, DELETE /apps/{appId}, POST /apps/{appId}/webhooks. */
  apps: BundleArgs;
  /** POST /hooks/{webhookId}/{secret}. */
  webhook: BundleArgs;
  /** The Lambda authorizer of the Slack routes. */
  slackAuthorizer: BundleArgs;
  /** The Slack Web API's function (the Api's), when the build has it: POST and GET /slack/{method}. */
  slack?: LambdaFunction;
  /** The pool whose ID tokens the Slack authorizer accepts besides bots' tokens. */
  userPool: { id: pulumi.Input<string>; clientId: pulumi.Input<string> };
  /** The webhook route's own throttling (it has no authorizer). Defaults: burst 50, 20/s. */
  webhookThrottle?: { burstLimit?: number; rateLimit?: number };
  shared: SharedResources;
  logRetentionDays?: number;
}

export const webhookRouteKey = "POST /hooks/{webhookId}/{secret}";
/** Slack's clients POST; a few tools GET with the arguments in the query. */
export const slackRouteKeys = [
  ["slack", "POST /slack/{method}"],
  ["slack-get", "GET /slack/{method}"],
] as const;

/**
 * Apps, incoming webhooks and the Slack Web API (CONTRACT §13) on the HTTP API:
 * - the apps routes behind the JWT authorizer, as the rest of the API;
 * - the webhook route open (its URL's secret is the credential) and throttled on its own;
 * - the Slack routes (to the Api's slack function) behind a Lambda REQUEST authorizer (payload 2.0, simple responses)
 *   that accepts bots' tokens (one GetItem by the token's hash) and people's ID tokens. It
 *   has no identity source, so API Gateway caches nothing (a revoked token would live on
 *   in its cache) and calls it without a token too: Slack's clients want Slack's
 *   `not_authed`, which the function answers (functions/slackAuthorizer/handler.ts).
 * Each function's role allows exactly what its code calls (test/infra/leastPrivilege.test.ts).
 */
export class AppRoutes extends pulumi.ComponentResource {
  public readonly apps: LambdaFunction;
  public readonly webhook: LambdaFunction;
  public readonly authorizerFunction: LambdaFunction;
  public readonly routes: aws.apigatewayv2.Route[];
  /** The stage's per-route settings (the Api's stage takes them). */
  public readonly routeSettings: aws.types.input.apigatewayv2.StageRouteSetting[];

  constructor(name: string, args: AppRoutesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:apigateway:AppRoutes", name, {}, opts);
    const parent = { parent: this };
    const common = { logRetentionDays: args.logRetentionDays, environment: sharedSettings(args.shared) };
    this.apps = new LambdaFunction(
      `${name}-apps`,
      { ...args.apps, ...common, description: "POST/GET /apps, DELETE /apps/{appId}, POST /apps/{appId}/webhooks.", statements: appsPolicy(args.shared) },
      parent,
    );
    this.webhook = new LambdaFunction(
      `${name}-webhook`,
      { ...args.webhook, ...common, description: "POST /hooks/{webhookId}/{secret}: an incoming webhook's message.", statements: webhookPolicy(args.shared) },
      parent,
    );
    this.authorizerFunction = new LambdaFunction(
      `${name}-slack-authorizer`,
      {
        ...args.slackAuthorizer,
        logRetentionDays: args.logRetentionDays,
        description: "The Slack routes' authorizer: bots' tokens and people's ID tokens.",
        environment: { EVENTS_TABLE: args.shared.eventTable.name, USER_POOL_ID: args.userPool.id, USER_POOL_CLIENT_ID: args.userPool.clientId },
        statements: authorizerPolicy(args.shared),
      },
      parent,
    );

    const jwt = { type: "JWT" as const, authorizerId: args.jwtAuthorizerId };
    const api = args.api;
    this.routes = [
      httpRoute(`${name}-create`, { api, routeKey: "POST /apps", fn: this.apps, auth: jwt }, parent),
      httpRoute(`${name}-list`, { api, routeKey: "GET /apps", fn: this.apps, auth: jwt }, parent),
      httpRoute(`${name}-revoke`, { api, routeKey: "DELETE /apps/{appId}", fn: this.apps, auth: jwt }, parent),
      httpRoute(`${name}-webhooks`, { api, routeKey: "POST /apps/{appId}/webhooks", fn: this.apps, auth: jwt }, parent),
      httpRoute(`${name}-hooks`, { api, routeKey: webhookRouteKey, fn: this.webhook, auth: { type: "NONE" } }, parent),
    ];
    this.routeSettings = [
      { routeKey: webhookRouteKey, throttlingBurstLimit: args.webhookThrottle?.burstLimit ?? 50, throttlingRateLimit: args.webhookThrottle?.rateLimit ?? 20 },
    ];

    if (args.slack) {
      const authorizer = new aws.apigatewayv2.Authorizer(
        `${name}-slack-auth`,
        {
          apiId: api.id,
          authorizerType: "REQUEST",
          authorizerUri: this.authorizerFunction.invokeArn,
          authorizerPayloadFormatVersion: "2.0",
          enableSimpleResponses: true,
          authorizerResultTtlInSeconds: 0,
        },
        parent,
      );
      new aws.lambda.Permission(
        `${name}-slack-auth-invoke`,
        {
          action: "lambda:InvokeFunction",
          function: this.authorizerFunction.functionName,
          principal: "apigateway.amazonaws.com",
          sourceArn: pulumi.interpolate`${api.executionArn}/authorizers/${authorizer.id}`,
        },
        parent,
      );
      const custom = { type: "CUSTOM" as const, authorizerId: authorizer.id };
      for (const [key, routeKey] of slackRouteKeys) this.routes.push(httpRoute(`${name}-${key}`, { api, routeKey, fn: args.slack, auth: custom }, parent));
    }
    this.registerOutputs({ apps: this.apps.arn, webhook: this.webhook.arn, authorizer: this.authorizerFunction.arn });
  }
}

/**
 * The apps function: what the store's append needs (the creator adds the bot to a
 * channel; the bot's registration in its own user stream), and the app items: apps and
 * their creators' lists, tokens (put, delete: never read here) and webhooks (put, delete).
 */
function appsPolicy(shared: SharedResources): PolicyStatement[] {
  const apps = [tableKeys.apps, tableKeys.appsOfUsers];
  return appendPolicy(shared, {
    getAlso: apps,
    putAlso: [...apps, tableKeys.botTokens, tableKeys.webhooks],
    updateAlso: apps,
    deleteAlso: [tableKeys.botTokens, tableKeys.webhooks],
  });
}

/** The webhook function: its webhook by id, and the store's append (the bot's message, its join). */
function webhookPolicy(shared: SharedResources): PolicyStatement[] {
  return appendPolicy(shared, { getAlso: [tableKeys.webhooks] });
}

/** The authorizer reads bots' tokens by key, and nothing else (a person's token is checked against the pool's public keys). */
function authorizerPolicy(shared: SharedResources): PolicyStatement[] {
  return [{ Sid: "ReadBotTokens", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [shared.eventTable.arn], Condition: partitionKeysLike([tableKeys.botTokens]) }];
}
