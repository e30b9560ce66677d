import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppRoutes, type AppRoutesArgs } from "./appRoutes";
import type { BundleArgs } from "./auth";
import { httpRoute } from "./httpRoute";
import { searchPolicy, slackPolicy, storePolicy, viewsPolicy } from "./apiPolicies";
import { LambdaFunction, type SharedResources, sharedSettings } from "./lambdaFunction";

export interface ApiArgs {
  /** POST /events. */
  store: BundleArgs;
  /** GET /views/{proxy+}. */
  views: BundleArgs;
  /** GET /search. */
  query: BundleArgs;
  /** The event table, the bus and the views bucket. */
  shared: SharedResources;
  /** The projections whose views GET /views/… reads (each under `<projection>/` in the views bucket). */
  viewProjections: readonly string[];
  /** The JWT issuer (the user pool) and the audience (its web client) every route requires. */
  jwt: { issuer: pulumi.Input<string>; audience: pulumi.Input<string> };
  /** Origins allowed by CORS: the site's, and nothing else. */
  allowedOrigins: pulumi.Input<pulumi.Input<string>[]>;
  /** Stage-wide throttling (all callers together; the per-user limit is the store's). Defaults: burst 200, 100/s. */
  throttle?: { burstLimit?: number; rateLimit?: number };
  /** Days to keep the functions' logs and the access log. Default 14. */
  logRetentionDays?: number;
  /** POST and GET /slack/{method}: the Slack Web API subset (CONTRACT §13), behind the apps' authorizer. Default: no such routes. */
  slack?: BundleArgs;
  /** Apps, incoming webhooks and the Slack routes' authorizer (CONTRACT §13): infra/aws/appRoutes.ts. */
  apps?: Omit<AppRoutesArgs, "api" | "jwtAuthorizerId" | "shared" | "logRetentionDays" | "slack">;
}

/**
 * The HTTP API (API Gateway v2) in front of the store and the views. Every route
 * requires a Cognito ID token (JWT authorizer: issuer = the user pool, audience = the web
 * client); the functions take the caller's id from the verified claims only. CORS lets
 * the site's origin call it with the headers the contract uses; the stage throttles and
 * writes a JSON access log (no Authorization header in it).
 */
export class Api extends pulumi.ComponentResource {
  public readonly api: aws.apigatewayv2.Api;
  public readonly store: LambdaFunction;
  public readonly views: LambdaFunction;
  public readonly query: LambdaFunction;
  public readonly slack?: LambdaFunction;
  /** The apps, webhook and Slack routes, when `apps` is given. */
  public readonly apps?: AppRoutes;
  /** The base URL clients append `/events` and `/views/…` to. */
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:apigateway:Api", name, {}, opts);
    const parent = { parent: this };
    const logRetentionDays = args.logRetentionDays ?? 14;

    this.store = new LambdaFunction(
      `${name}-store`,
      {
        ...args.store,
        description: "POST /events: validates, appends to the event store, publishes. PUT /read-marks/{channelId}: a member's read mark.",
        logRetentionDays,
        environment: sharedSettings(args.shared),
        statements: storePolicy(args.shared),
      },
      parent,
    );
    this.views = new LambdaFunction(
      `${name}-views`,
      {
        ...args.views,
        description: "GET /views/{proxy+}: a view from the private bucket, if the caller may see it.",
        logRetentionDays,
        environment: sharedSettings(args.shared),
        statements: viewsPolicy(args.shared, args.viewProjections),
      },
      parent,
    );

    this.query = new LambdaFunction(
      `${name}-query`,
      {
        ...args.query,
        description: "GET /search: the messages the caller may read that answer a query, from the search index and the channels' views.",
        logRetentionDays,
        environment: sharedSettings(args.shared),
        statements: searchPolicy(args.shared),
      },
      parent,
    );
    this.slack = args.slack
      ? new LambdaFunction(
          `${name}-slack`,
          {
            ...args.slack,
            description: "POST|GET /slack/{method}: the Slack Web API subset, writing through the store's use case and reading the views as the views function does.",
            logRetentionDays,
            environment: sharedSettings(args.shared),
            statements: slackPolicy(args.shared, args.viewProjections),
          },
          parent,
        )
      : undefined;

    this.api = new aws.apigatewayv2.Api(
      `${name}-http`,
      {
        protocolType: "HTTP",
        description: "Chat: POST /events, PUT /read-marks/…, GET /views/…, GET /search, /apps, /hooks/…, /slack/…",
        corsConfiguration: {
          allowOrigins: args.allowedOrigins,
          allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
          allowHeaders: ["authorization", "content-type", "idempotency-key"],
          exposeHeaders: ["retry-after"],
          maxAge: 600,
        },
      },
      parent,
    );
    const authorizer = new aws.apigatewayv2.Authorizer(
      `${name}-jwt`,
      {
        apiId: this.api.id,
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        jwtConfiguration: { issuer: args.jwt.issuer, audiences: [args.jwt.audience] },
      },
      parent,
    );

    const routes: [string, string, LambdaFunction][] = [
      ["events", "POST /events", this.store],
      ["read-marks", "PUT /read-marks/{channelId}", this.store],
      ["views", "GET /views/{proxy+}", this.views],
      ["search", "GET /search", this.query],
    ];
    const jwt = { type: "JWT" as const, authorizerId: authorizer.id };
    const created = routes.map(([key, routeKey, fn]) => httpRoute(`${name}-${key}`, { api: this.api, routeKey, fn, auth: jwt }, parent));
    this.apps = args.apps && new AppRoutes(`${name}-apps`, { ...args.apps, api: this.api, jwtAuthorizerId: authorizer.id, slack: this.slack, shared: args.shared, logRetentionDays }, parent);
    if (this.apps) created.push(...this.apps.routes);

    const accessLog = new aws.cloudwatch.LogGroup(`${name}-access`, { retentionInDays: logRetentionDays }, parent);
    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: this.api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingBurstLimit: args.throttle?.burstLimit ?? 200,
          throttlingRateLimit: args.throttle?.rateLimit ?? 100,
        },
        // A route's own settings need the route to exist first.
        routeSettings: this.apps?.routeSettings,
        accessLogSettings: { destinationArn: accessLog.arn, format: JSON.stringify(accessLogFormat) },
      },
      { parent: this, dependsOn: created },
    );

    this.url = pulumi.all([this.api.apiEndpoint, stage.id]).apply(([endpoint]) => endpoint);
    this.registerOutputs({ url: this.url, apiId: this.api.id });
  }
}

/** Who called what and how it went; never a header, so no token reaches a log. */
const accessLogFormat = {
  requestId: "$context.requestId",
  time: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  routeKey: "$context.routeKey",
  status: "$context.status",
  latencyMs: "$context.responseLatency",
  user: "$context.authorizer.claims.sub",
  // The Slack routes' Lambda authorizer's caller (a bot's or a person's id, never a token).
  caller: "$context.authorizer.userId",
  authorizerError: "$context.authorizer.error",
  integrationError: "$context.integrationErrorMessage",
};
