/**
 * The Pulumi program: reads the stack's settings (Pulumi.<stack>.yaml), composes the
 * components of infra/aws, and exports what clients and operators need. Everything it
 * deploys is described in docs/deploy.md; the functions come from `npm run build`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { functions, type FunctionSpec } from "./functions/handlers";
import { eventSource, projectionNames, routes } from "./functions/domain/routes";
import { Api } from "./infra/aws/api";
import { Auth, type BundleArgs } from "./infra/aws/auth";
import { bundleDir } from "./infra/aws/bundles";
import { EventBus } from "./infra/aws/eventBus";
import { EventStore } from "./infra/aws/eventStore";
import type { LambdaFunction } from "./infra/aws/lambdaFunction";
import { Operations } from "./infra/aws/operations";
import { Projection } from "./infra/aws/projection";
import { Publisher } from "./infra/aws/publisher";
import { Realtime } from "./infra/aws/realtime";
import { Site } from "./infra/aws/site";
import { SiteContent } from "./infra/aws/siteContent";
import { ViewStore } from "./infra/aws/viewStore";

const config = new pulumi.Config();
const stack = pulumi.getStack();
const awsRegion: pulumi.Input<string> = aws.config.region ?? aws.getRegionOutput().region;
const logRetentionDays = config.getNumber("logRetentionDays") ?? 14;
const deletionProtection = config.getBoolean("deletionProtection") ?? false;
const autoConfirmSignUps = config.getBoolean("autoConfirmSignUps") ?? false;

/** Every function the build produced, by its name in functions/handlers.ts. */
const specs: Record<string, FunctionSpec | undefined> = functions;
const bundle = (name: string): BundleArgs => {
  const spec = specs[name];
  if (!spec) throw new Error(`functions/handlers.ts has no function "${name}".`);
  return { bundleDir: bundleDir(name), memoryMb: spec.memoryMb, timeoutSeconds: spec.timeoutSeconds };
};

const store = new EventStore("events", { deletionProtection });
const bus = new EventBus("chat", { eventSource, archiveRetentionDays: config.getNumber("archiveRetentionDays") ?? 30 });
const views = new ViewStore("views", {});
const eventBus = { name: bus.busName, arn: bus.busArn };
const shared = {
  eventTable: { name: store.tableName, arn: store.tableArn },
  eventBus,
  viewsBucket: { name: views.bucketName, arn: views.bucketArn },
};

const site = new Site("site", {
  priceClass: config.get("priceClass"),
  connectSources: [
    pulumi.interpolate`https://*.execute-api.${awsRegion}.amazonaws.com`,
    pulumi.interpolate`wss://*.execute-api.${awsRegion}.amazonaws.com`,
    pulumi.interpolate`https://cognito-idp.${awsRegion}.amazonaws.com`,
  ],
});

/** Where Cognito mails confirmation codes from: an SES identity, or its own sender (a few emails a day). */
function emailSender() {
  const sourceArn = config.get("sesSourceArn");
  const fromEmailAddress = config.get("sesFromEmailAddress");
  if (fromEmailAddress && !sourceArn) throw new Error("chat:sesFromEmailAddress needs chat:sesSourceArn, the SES identity it belongs to.");
  if (!sourceArn && !autoConfirmSignUps) {
    pulumi.log.warn("Sign-ups are confirmed by email with Cognito's own sender, which sends only a few emails a day: set chat:sesSourceArn (docs/deploy.md).");
  }
  return sourceArn ? { sourceArn, fromEmailAddress } : undefined;
}

const auth = new Auth("auth", {
  region: awsRegion,
  registration: bundle("registration"),
  autoConfirm: autoConfirmSignUps ? bundle("autoconfirm") : undefined,
  email: emailSender(),
  shared,
  deletionProtection,
  logRetentionDays,
});

/** Projections delivered to a function of their own instead of folded into views (see dedicatedTargets). */
const dedicatedProjections: readonly string[] = ["notify"];

// GET /views/… reads every projection's views but the search index, which GET /search reads.
const viewProjections = projectionNames.filter((name) => !dedicatedProjections.includes(name) && name !== "search");
const api = new Api("api", {
  store: bundle("store"),
  views: bundle("views"),
  query: bundle("query"),
  shared,
  viewProjections,
  slack: specs.slack ? bundle("slack") : undefined,
  /** Apps and webhooks (CONTRACT §13), and the Slack routes' authorizer once the build has the `slack` function. */
  apps: {
    apps: bundle("apps"),
    webhook: bundle("webhook"),
    slackAuthorizer: bundle("slackAuthorizer"),
    userPool: { id: auth.userPoolId, clientId: auth.userPoolClientId },
    webhookThrottle: { burstLimit: config.getNumber("webhookThrottleBurst"), rateLimit: config.getNumber("webhookThrottleRate") },
  },
  jwt: { issuer: auth.issuer, audience: auth.userPoolClientId },
  allowedOrigins: [site.url, ...(config.getObject<string[]>("extraAllowedOrigins") ?? [])],
  throttle: { burstLimit: config.getNumber("apiThrottleBurst"), rateLimit: config.getNumber("apiThrottleRate") },
  logRetentionDays,
});

/**
 * The WebSocket side exists when functions/handlers.ts declares its four functions
 * (without them the stack has no wsUrl, and config.json leaves it out). The routing
 * table's `notify` entry is delivered to the Realtime's notify function.
 */
const realtimeFunctions = ["connect", "disconnect", "wsAuthorizer", "notify"];
const realtime = realtimeFunctions.every((name) => specs[name])
  ? new Realtime("realtime", {
      region: awsRegion,
      connect: bundle("connect"),
      disconnect: bundle("disconnect"),
      authorizer: bundle("wsAuthorizer"),
      notify: bundle("notify"),
      shared,
      userPool: { id: auth.userPoolId, clientId: auth.userPoolClientId },
      logRetentionDays,
    })
  : undefined;
const dedicatedTargets: Record<string, LambdaFunction | undefined> = { notify: realtime?.notify };

/** One Projection per entry of the routing table (functions/domain/routes.ts), as the sandbox does. */
const projections = projectionNames.map((name) => {
  const common = { eventBus, eventSource, detailTypes: routes[name] };
  const target = dedicatedTargets[name];
  if (target) return new Projection(name, { ...common, target });
  if (specs[name]) throw new Error(`Projection "${name}" has its own function but no component provides it.`);
  return new Projection(name, {
    ...common,
    views: { ...bundle("projection"), shared, logRetentionDays },
  });
});

/** The table's stream is the outbox: every inserted event reaches the bus through the publisher. */
const publisher = new Publisher("publish", { function: bundle("publish"), shared, streamArn: store.streamArn, logRetentionDays });

new SiteContent("web", {
  bucketName: site.bucket.bucketName,
  dir: config.get("webDir") ?? "web/dist",
  config: {
    apiUrl: api.url,
    wsUrl: realtime?.url,
    auth: { region: awsRegion, userPoolId: auth.userPoolId, clientId: auth.userPoolClientId },
  },
});

const byName = <T>(entries: [string, T | undefined][]) =>
  Object.fromEntries(entries.filter((e): e is [string, T] => e[1] !== undefined));
const ops = new Operations("ops", {
  region: awsRegion,
  dashboardName: `chat-${stack}`,
  alarmEmail: config.get("alarmEmail"),
  functions: byName<LambdaFunction>([
    ["store", api.store],
    ["views", api.views],
    ["query", api.query],
    ["apps", api.apps?.apps],
    ["webhook", api.apps?.webhook],
    ["slack-authorizer", api.apps?.authorizerFunction],
    ["slack", api.slack],
    ["registration", auth.registration],
    ["autoconfirm", auth.autoConfirm],
    ["publish", publisher.handler],
    ...projections.map((p, i): [string, LambdaFunction] => [projectionNames[i]!, p.handler]),
    ["connect", realtime?.connect],
    ["disconnect", realtime?.disconnect],
    ["ws-authorizer", realtime?.authorizer],
  ]),
  deadLetterQueues: Object.fromEntries(
    projections.flatMap((p, i) => [
      [`${projectionNames[i]}-dead-letters`, p.deadLetterQueue],
      [`${projectionNames[i]}-failures`, p.failureQueue],
    ]),
  ),
  rules: Object.fromEntries(
    projections.flatMap((p, i) => [
      [`${projectionNames[i]}-live`, p.liveRule],
      [`${projectionNames[i]}-replay`, p.replayRule],
    ]),
  ),
  publisher: { handler: publisher.handler, failureQueue: publisher.failureQueue },
});

const perProjection = <T>(pick: (p: Projection) => T) => Object.fromEntries(projections.map((p, i) => [projectionNames[i], pick(p)]));

export const siteUrl = site.url;
export const apiUrl = api.url;
export const wsUrl = realtime?.url;
export const region = awsRegion;
export const userPoolId = auth.userPoolId;
export const userPoolClientId = auth.userPoolClientId;
export const eventBusName = bus.busName;
export const eventBusArn = bus.busArn;
export const archiveName = bus.archiveName;
export const archiveArn = bus.archiveArn;
export const eventTableName = store.tableName;
export const viewsBucketName = views.bucketName;
export const siteBucketName = site.bucket.bucketName;
export const distributionId = site.distributionId;
/** StartReplay's FilterArns, per projection (`npm run replay -- --stack <name> --projection <p>`). */
export const replayRuleArns = perProjection((p) => p.replayRuleArn);
export const deadLetterQueueUrls = perProjection((p) => p.deadLetterQueueUrl);
export const failureQueueUrls = perProjection((p) => p.failureQueueUrl);
export const projectionFunctionNames = perProjection((p) => p.handler.functionName);
export const publishFunctionName = publisher.handler.functionName;
/** Descriptions of stream records that expired before the bus took them (docs/deploy.md). */
export const publishFailureQueueUrl = publisher.failureQueueUrl;
export const connectionsTableName = realtime?.connections.name;
export const dashboardName = ops.dashboardName;
export const alarmTopicArn = ops.topic.arn;
