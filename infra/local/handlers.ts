/**
 * The handlers the sandbox runs: by default the very modules Lambda runs on AWS, loaded
 * on first use (after the sandbox has set their environment); tests may override any.
 */
import path from "node:path";
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEventV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  APIGatewayProxyWebsocketEventV2,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
  Context,
  DynamoDBBatchResponse,
  DynamoDBStreamEvent,
  EventBridgeEvent,
  PostConfirmationTriggerEvent,
  PreSignUpTriggerEvent,
  ScheduledEvent,
} from "aws-lambda";
import type { StoredEvent } from "../../functions/domain/events";
import type { ProjectionName } from "../../functions/domain/routes";
import { functions, type FunctionName, type FunctionSpec } from "../../functions/handlers";

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;
export type ApiHandler = LambdaHandler<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2>;
export type ProjectionEvent = EventBridgeEvent<string, StoredEvent>;
export type ProjectionHandler = LambdaHandler<ProjectionEvent, void>;
export type OpenApiHandler = LambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;
/** A Lambda REQUEST authorizer of the HTTP API (payload 2.0, simple responses). */
export type RequestAuthorizer = LambdaHandler<APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult<Record<string, unknown>>>;
export type ScheduleHandler = LambdaHandler<ScheduledEvent, unknown>;
export type TriggerHandler<E> = LambdaHandler<E, E>;

export interface SandboxHandlers {
  store: ApiHandler;
  views: ApiHandler;
  /** GET /search. */
  query: ApiHandler;
  /** Like `makeHandler` of functions/projection/handler.ts: the handler of one projection. */
  projection: (name: ProjectionName) => ProjectionHandler;
  /** Fed by the event table's stream (tableStream.ts). */
  publish: LambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>;
  registration: TriggerHandler<PostConfirmationTriggerEvent>;
  autoconfirm: TriggerHandler<PreSignUpTriggerEvent>;
  wsAuthorizer: LambdaHandler<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>;
  connect: LambdaHandler<WebsocketEvent, APIGatewayProxyResultV2>;
  disconnect: LambdaHandler<WebsocketEvent, APIGatewayProxyResultV2>;
  /** POST/GET /apps, DELETE /apps/{appId}, POST /apps/{appId}/webhooks. */
  apps: ApiHandler;
  /** POST /hooks/{webhookId}/{secret}: open, no authorizer. */
  webhook: OpenApiHandler;
  /** The authorizer of /slack/{method}: bots' tokens and people's ID tokens. */
  slackAuthorizer: RequestAuthorizer;
  /** POST /slack/{method}, once functions/handlers.ts declares `slack` (or a test gives one). */
  slack?: ApiHandler;
}

export type WebsocketEvent = APIGatewayProxyWebsocketEventV2 & { requestContext: { authorizer?: Record<string, string> } };

const repoRoot = path.resolve(__dirname, "../..");

type AnyFunction = (...args: never[]) => unknown;

function exported<F extends AnyFunction>(name: FunctionName, exportName: string): F {
  const entry = functions[name].entry;
  // require, not import(): mocha loads TypeScript through tsx's CommonJS hook only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(path.join(repoRoot, entry)) as Record<string, unknown>;
  const value = module[exportName];
  if (typeof value !== "function") throw new Error(`${entry} does not export a function "${exportName}"`);
  return value as F;
}

/** A handler that loads `functions/<name>/handler.ts` on its first call. */
function lazy<E, R>(name: FunctionName, exportName = "handler"): LambdaHandler<E, R> {
  let loaded: LambdaHandler<E, R> | undefined;
  return (event, context) => (loaded ??= exported<LambdaHandler<E, R>>(name, exportName))(event, context);
}

function lazyProjection(projection: ProjectionName): ProjectionHandler {
  let loaded: ProjectionHandler | undefined;
  return (event, context) => {
    loaded ??= exported<(name: ProjectionName) => ProjectionHandler>("projection", "makeHandler")(projection);
    return loaded(event, context);
  };
}

/** The Slack Web API's function, when declared (its own branch declares it). */
const slackDeclared = (Object.keys(functions) as FunctionName[]).find((name) => name === ("slack" as string));
/** Sizing of a function the sandbox runs; a function not declared (a test's stand-in) gets the API's usual. */
export const specOf = (name: string): Omit<FunctionSpec, "entry"> => (functions as Record<string, FunctionSpec | undefined>)[name] ?? { memoryMb: 256, timeoutSeconds: 10 };

export function defaultHandlers(): SandboxHandlers {
  return {
    store: lazy("store"),
    views: lazy("views"),
    query: lazy("query"),
    // The routing table's notify entry has a function of its own; the others share one bundle.
    projection: (name) => (name === "notify" ? lazy("notify") : lazyProjection(name)),
    publish: lazy("publish"),
    registration: lazy("registration"),
    autoconfirm: lazy("autoconfirm"),
    wsAuthorizer: lazy("wsAuthorizer"),
    connect: lazy("connect"),
    disconnect: lazy("disconnect"),
    apps: lazy("apps"),
    webhook: lazy("webhook"),
    slackAuthorizer: lazy("slackAuthorizer"),
    ...(slackDeclared ? { slack: lazy(slackDeclared) } : {}),
  };
}
