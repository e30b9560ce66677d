import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BundleArgs } from "./auth";
import { listingUnder, partitionKeysLike, tableKeys, viewKeysOf } from "./keyPatterns";
import { LambdaFunction, type PolicyStatement, type ResourceRef, type SharedResources, sharedSettings } from "./lambdaFunction";

export interface RealtimeArgs {
  region: pulumi.Input<string>;
  /** `$connect`: stores the connection under its user and enters it in the user's channels (presence). */
  connect: BundleArgs;
  /** `$disconnect`: forgets the connection, in its channels too. */
  disconnect: BundleArgs;
  /** Lambda REQUEST authorizer of `$connect`: verifies the `token` query parameter (a Cognito ID token). */
  authorizer: BundleArgs;
  /** Receives events from the bus (its routing-table entry) and posts them to the members' connections. */
  notify: BundleArgs;
  /** The event table (notify decides a channel's audience from the store), the bus and the views bucket (`$connect` reads the user's view). */
  shared: SharedResources;
  /** The pool and client whose tokens the authorizer accepts. */
  userPool: { id: pulumi.Input<string>; clientId: pulumi.Input<string> };
  /** Stage name, the last segment of the URL. Default `live`. */
  stageName?: string;
  /** Stage-wide throttling of `$connect`. Defaults: burst 100, 50/s. */
  throttle?: { burstLimit?: number; rateLimit?: number };
  /** Days to keep the functions' logs. Default 14. */
  logRetentionDays?: number;
}

/**
 * The WebSocket side of the contract (§6): `wss://…/<stage>?token=<IdToken>`.
 *
 * - `$connect` runs a Lambda REQUEST authorizer on the `token` query parameter, so an
 *   unauthenticated socket is refused before any function of ours runs.
 * - A connection table (on demand, TTL on `expiresAt` so connections API Gateway dropped
 *   without `$disconnect` expire) keyed `pk`/`sk` (both strings), laid out by the
 *   handlers: each connection under its user and under everyone, presence (the
 *   connections entered in each channel, so that a channel's event reads only its own),
 *   and the memberships notify has seen.
 * - The notify function may post to this API's connections only:
 *   `execute-api:ManageConnections` on `{executionArn}/{stage}/POST/@connections/*`.
 *   It is the target of the `notify` entry of the routing table (a Projection given it
 *   as `target`).
 */
export class Realtime extends pulumi.ComponentResource {
  public readonly api: aws.apigatewayv2.Api;
  public readonly connections: aws.dynamodb.Table;
  public readonly notify: LambdaFunction;
  public readonly connect: LambdaFunction;
  public readonly disconnect: LambdaFunction;
  public readonly authorizer: LambdaFunction;
  /** `wss://{api}.execute-api.{region}.amazonaws.com/{stage}`: what browsers open. */
  public readonly url: pulumi.Output<string>;
  /** `https://…/{stage}`: what the notify function's ApiGatewayManagementApi client calls. */
  public readonly managementEndpoint: pulumi.Output<string>;

  constructor(name: string, args: RealtimeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:apigateway:Realtime", name, {}, opts);
    const parent = { parent: this };
    const stageName = args.stageName ?? "live";

    this.connections = new aws.dynamodb.Table(
      `${name}-connections`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "pk",
        rangeKey: "sk",
        attributes: [
          { name: "pk", type: "S" },
          { name: "sk", type: "S" },
        ],
        ttl: { attributeName: "expiresAt", enabled: true },
      },
      parent,
    );
    this.api = new aws.apigatewayv2.Api(
      `${name}-ws`,
      { protocolType: "WEBSOCKET", routeSelectionExpression: "$request.body.action", description: "Chat: live events" },
      parent,
    );
    this.managementEndpoint = pulumi.interpolate`https://${this.api.id}.execute-api.${args.region}.amazonaws.com/${stageName}`;
    const table = { name: this.connections.name, arn: this.connections.arn };
    // What functions/adapters/realtimeWiring.ts reads: the table, and the @connections endpoint.
    const realtimeSettings = { CONNECTIONS_TABLE: table.name, WS_ENDPOINT: this.managementEndpoint };
    const fn = (key: string, bundle: BundleArgs, description: string, environment: Record<string, pulumi.Input<string>>, statements: PolicyStatement[]) =>
      new LambdaFunction(`${name}-${key}`, { ...bundle, description, logRetentionDays: args.logRetentionDays, environment, statements }, parent);

    this.authorizer = fn(
      "authorizer",
      args.authorizer,
      "WebSocket $connect authorizer: verifies the ID token.",
      { USER_POOL_ID: args.userPool.id, USER_POOL_CLIENT_ID: args.userPool.clientId },
      [], // it fetches the pool's public keys over HTTPS: no AWS API
    );
    this.connect = fn(
      "connect",
      args.connect,
      "WebSocket $connect: remembers the connection and enters it in its user's channels.",
      { ...realtimeSettings, VIEWS_BUCKET: args.shared.viewsBucket.name },
      connectPolicy(table, args.shared.viewsBucket),
    );
    this.disconnect = fn("disconnect", args.disconnect, "WebSocket $disconnect: forgets the connection, in its channels too.", realtimeSettings, disconnectPolicy(table));
    this.notify = fn(
      "notify",
      args.notify,
      "Posts each event to the connections of the users who may see it.",
      { ...sharedSettings(args.shared), ...realtimeSettings },
      notifyPolicy(args.shared.eventTable, table, pulumi.interpolate`${this.api.executionArn}/${stageName}/POST/@connections/*`),
    );

    const authorizer = new aws.apigatewayv2.Authorizer(
      `${name}-token`,
      {
        apiId: this.api.id,
        authorizerType: "REQUEST",
        authorizerUri: this.authorizer.invokeArn,
        identitySources: ["route.request.querystring.token"],
      },
      parent,
    );
    new aws.lambda.Permission(
      `${name}-authorizer-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: this.authorizer.functionName,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${this.api.executionArn}/authorizers/${authorizer.id}`,
      },
      parent,
    );

    const routes: [string, string, LambdaFunction][] = [
      ["connect", "$connect", this.connect],
      ["disconnect", "$disconnect", this.disconnect],
    ];
    const routeResources: pulumi.Resource[] = [];
    for (const [key, routeKey, target] of routes) {
      const integration = new aws.apigatewayv2.Integration(
        `${name}-${key}-integration`,
        { apiId: this.api.id, integrationType: "AWS_PROXY", integrationMethod: "POST", integrationUri: target.invokeArn },
        parent,
      );
      const isConnect = routeKey === "$connect";
      routeResources.push(
        new aws.apigatewayv2.Route(
          `${name}-${key}-route`,
          {
            apiId: this.api.id,
            routeKey,
            target: pulumi.interpolate`integrations/${integration.id}`,
            authorizationType: isConnect ? "CUSTOM" : "NONE",
            authorizerId: isConnect ? authorizer.id : undefined,
          },
          parent,
        ),
      );
      new aws.lambda.Permission(
        `${name}-${key}-invoke`,
        {
          action: "lambda:InvokeFunction",
          function: target.functionName,
          principal: "apigateway.amazonaws.com",
          sourceArn: pulumi.interpolate`${this.api.executionArn}/*/${routeKey}`,
        },
        parent,
      );
    }

    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: this.api.id,
        name: stageName,
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingBurstLimit: args.throttle?.burstLimit ?? 100,
          throttlingRateLimit: args.throttle?.rateLimit ?? 50,
        },
      },
      { parent: this, dependsOn: routeResources },
    );

    this.url = pulumi.interpolate`${this.api.apiEndpoint}/${stage.name}`;
    this.registerOutputs({ url: this.url, managementEndpoint: this.managementEndpoint, connectionsTableName: this.connections.name });
  }
}

/**
 * The connection's items (under its user, under `all`), then the memberships notify
 * recorded and the user's own view (only the user projection's views and the generations
 * pointer), then its entries in those channels and their list on the connection; last, that
 * the connection is still there (a disconnect in between leaves its entries to this call).
 */
function connectPolicy(connections: ResourceRef, views: ResourceRef): PolicyStatement[] {
  const userViews = viewKeysOf(["user"]);
  return [
    {
      Sid: "RememberConnection",
      Effect: "Allow",
      Action: ["dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:DeleteItem"],
      Resource: [connections.arn],
    },
    { Sid: "ReadUserViews", Effect: "Allow", Action: ["s3:GetObject"], Resource: userViews.map((key) => pulumi.interpolate`${views.arn}/${key}`) },
    // Without ListBucket, S3 answers 403 instead of 404 for a user with no view yet.
    { Sid: "MissingViewIs404", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [views.arn], Condition: listingUnder(userViews) },
  ];
}

/** The connection's items, its entries in channels among them. */
function disconnectPolicy(connections: ResourceRef): PolicyStatement[] {
  return [{ Sid: "ForgetConnection", Effect: "Allow", Action: ["dynamodb:DeleteItem"], Resource: [connections.arn] }];
}

/**
 * The channel's members from the store (snapshot, its parts and the events after it); the
 * channel's presence, the connections of whoever joined or left (entered or taken out, and
 * listed on the connection, then checked still there) and the membership recorded; the
 * post; and forgetting the connections API Gateway says are gone.
 */
function notifyPolicy(eventTable: ResourceRef, connections: ResourceRef, postToConnections: pulumi.Input<string>): PolicyStatement[] {
  return [
    {
      Sid: "LoadChannel",
      Effect: "Allow",
      Action: ["dynamodb:GetItem"],
      Resource: [eventTable.arn],
      // A stream's snapshot and events, never a claim.
      Condition: partitionKeysLike([tableKeys.channelStreams, tableKeys.userStreams]),
    },
    {
      Sid: "ReadStreamsAndSnapshotParts",
      Effect: "Allow",
      Action: ["dynamodb:Query"],
      Resource: [eventTable.arn],
      // The events after the snapshot, and the parts it points at (its members, kept apart).
      Condition: partitionKeysLike([tableKeys.channelStreams, tableKeys.userStreams, tableKeys.snapshotParts]),
    },
    {
      Sid: "FindEnterAndForgetConnections",
      Effect: "Allow",
      Action: ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
      Resource: [connections.arn],
    },
    { Sid: "PostToConnections", Effect: "Allow", Action: ["execute-api:ManageConnections"], Resource: [postToConnections] },
  ];
}
