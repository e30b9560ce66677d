import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BundleArgs } from "./auth";
import { listingUnder, partitionKeysLike, tableKeys, viewKeysOf } from "./keyPatterns";
import { LambdaFunction, type PolicyStatement, type SharedResources, sharedSettings } from "./lambdaFunction";

export interface ApiArgs {
  /** POST /events. */
  store: BundleArgs;
  /** GET /views/{proxy+}. */
  views: BundleArgs;
  /** GET /search. */
  query: BundleArgs;
  /** POST and GET /slack/{method}: the Slack Web API subset (CONTRACT §13). Default: no such routes. */
  slack?: BundleArgs;
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
        description: "Chat: POST /events, PUT /read-marks/…, GET /views/…, GET /search",
        corsConfiguration: {
          allowOrigins: args.allowedOrigins,
          allowMethods: ["GET", "POST", "PUT", "OPTIONS"],
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
      ...(this.slack
        ? ([
            ["slack", "POST /slack/{method}", this.slack],
            ["slack-get", "GET /slack/{method}", this.slack],
          ] as [string, string, LambdaFunction][])
        : []),
    ];
    for (const [key, routeKey, fn] of routes) {
      const integration = new aws.apigatewayv2.Integration(
        `${name}-${key}-integration`,
        { apiId: this.api.id, integrationType: "AWS_PROXY", integrationUri: fn.invokeArn, payloadFormatVersion: "2.0" },
        parent,
      );
      new aws.apigatewayv2.Route(
        `${name}-${key}-route`,
        {
          apiId: this.api.id,
          routeKey,
          target: pulumi.interpolate`integrations/${integration.id}`,
          authorizationType: "JWT",
          authorizerId: authorizer.id,
        },
        parent,
      );
      const [method, path] = routeKey.split(" ") as [string, string];
      new aws.lambda.Permission(
        `${name}-${key}-invoke`,
        {
          action: "lambda:InvokeFunction",
          function: fn.functionName,
          principal: "apigateway.amazonaws.com",
          // Only this API's route may invoke it: {executionArn}/{stage}/{method}/{path}.
          sourceArn: pulumi.interpolate`${this.api.executionArn}/*/${method}${path.replace(/\{[^}]+\}/g, "*")}`,
        },
        parent,
      );
    }

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
        accessLogSettings: { destinationArn: accessLog.arn, format: JSON.stringify(accessLogFormat) },
      },
      parent,
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
  authorizerError: "$context.authorizer.error",
  integrationError: "$context.integrationErrorMessage",
};

/**
 * The store handler: claims (get, create, take over, complete, release), snapshots (and
 * their parts) and the stream (read, append), read marks (put, update: never read back
 * here). It deletes nothing but a claim it gives up, updates no event, and publishes
 * nothing: the table's stream carries every appended event to the bus (the Publisher).
 */
function storePolicy(args: SharedResources): PolicyStatement[] {
  const streamsAndClaims = [tableKeys.claims, tableKeys.channelStreams, tableKeys.userStreams];
  return [
    {
      Sid: "ReadStreams",
      Effect: "Allow",
      Action: ["dynamodb:Query"],
      Resource: [args.eventTable.arn],
      Condition: partitionKeysLike([tableKeys.channelStreams, tableKeys.userStreams, tableKeys.snapshotParts]),
    },
    { Sid: "GetItems", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [args.eventTable.arn], Condition: partitionKeysLike(streamsAndClaims) },
    {
      Sid: "PutItems",
      Effect: "Allow",
      Action: ["dynamodb:PutItem"],
      Resource: [args.eventTable.arn],
      Condition: partitionKeysLike([...streamsAndClaims, tableKeys.snapshotParts, tableKeys.readMarks]),
    },
    {
      Sid: "UpdateItems",
      Effect: "Allow",
      Action: ["dynamodb:UpdateItem"],
      Resource: [args.eventTable.arn],
      Condition: partitionKeysLike([tableKeys.claims, tableKeys.readMarks]),
    },
    {
      Sid: "ReleaseClaims",
      Effect: "Allow",
      Action: ["dynamodb:DeleteItem"],
      Resource: [args.eventTable.arn],
      Condition: partitionKeysLike([tableKeys.claims]),
    },
  ];
}

/**
 * The views handler reads views (the projections' and the generations pointer) and the
 * caller's read marks; on an account's first call it also records `user_registered` when
 * the confirmation trigger did not (exists, append), all in the caller's own `user-<id>`
 * stream. The table's stream carries that event to the bus.
 */
function viewsPolicy(args: SharedResources, projections: readonly string[]): PolicyStatement[] {
  const keys = viewKeysOf(projections);
  return [
    { Sid: "ReadViews", Effect: "Allow", Action: ["s3:GetObject"], Resource: keys.map((key) => pulumi.interpolate`${args.viewsBucket.arn}/${key}`) },
    // Without ListBucket, S3 answers 403 instead of 404 for a view not written yet.
    { Sid: "MissingViewIs404", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [args.viewsBucket.arn], Condition: listingUnder(keys) },
    {
      Sid: "RegisterOnFirstCall",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
      Resource: [args.eventTable.arn],
      Condition: partitionKeysLike([tableKeys.userStreams]),
    },
    { Sid: "ReadMarks", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [args.eventTable.arn], Condition: partitionKeysLike([tableKeys.readMarks]) },
  ];
}

/** What GET /search reads: the views it searches and authorizes by, and a private channel's stream past its head (a leave the head does not show yet). */
const searchedViews = ["channel", "directory", "user", "search"];

function searchPolicy(args: SharedResources): PolicyStatement[] {
  const keys = viewKeysOf(searchedViews);
  return [
    { Sid: "ReadViews", Effect: "Allow", Action: ["s3:GetObject"], Resource: keys.map((key) => pulumi.interpolate`${args.viewsBucket.arn}/${key}`) },
    { Sid: "MissingViewIs404", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [args.viewsBucket.arn], Condition: listingUnder(keys) },
    { Sid: "ReadChannelStreams", Effect: "Allow", Action: ["dynamodb:Query"], Resource: [args.eventTable.arn], Condition: partitionKeysLike([tableKeys.channelStreams]) },
  ];
}

/**
 * The Slack API's function: the store's use case for writes (claims, snapshots and the
 * stream, as the store's role has them; it sets no read marks) and the views' reads (the
 * caller's own read marks among them, as GET /views/users/me reads them). A `ts` finds
 * its message with a GetItem on the channel's stream, among the reads the store's use case
 * needs anyway.
 */
function slackPolicy(args: SharedResources, projections: readonly string[]): PolicyStatement[] {
  const streamsAndClaims = [tableKeys.claims, tableKeys.channelStreams, tableKeys.userStreams];
  const table = [args.eventTable.arn];
  const views = viewKeysOf(projections);
  return [
    { Sid: "ReadStreams", Effect: "Allow", Action: ["dynamodb:Query"], Resource: table, Condition: partitionKeysLike([tableKeys.channelStreams, tableKeys.userStreams, tableKeys.snapshotParts]) },
    { Sid: "GetItems", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: table, Condition: partitionKeysLike(streamsAndClaims) },
    { Sid: "PutItems", Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: table, Condition: partitionKeysLike([...streamsAndClaims, tableKeys.snapshotParts]) },
    { Sid: "UpdateClaims", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: table, Condition: partitionKeysLike([tableKeys.claims]) },
    { Sid: "ReleaseClaims", Effect: "Allow", Action: ["dynamodb:DeleteItem"], Resource: table, Condition: partitionKeysLike([tableKeys.claims]) },
    { Sid: "ReadViews", Effect: "Allow", Action: ["s3:GetObject"], Resource: views.map((key) => pulumi.interpolate`${args.viewsBucket.arn}/${key}`) },
    { Sid: "MissingViewIs404", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [args.viewsBucket.arn], Condition: listingUnder(views) },
    { Sid: "ReadMarks", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: table, Condition: partitionKeysLike([tableKeys.readMarks]) },
  ];
}
