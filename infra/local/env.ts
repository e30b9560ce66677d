/**
 * The environment the handlers run with: the same variables as on AWS, plus the SDK's
 * standard per-service endpoint settings pointing at the local servers.
 */
import { resources } from "./context";

/** s3rver accepts only these; dynalite and the stand-ins accept anything. */
export const sandboxCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export interface HandlerEnvInput {
  dynamodb: string;
  s3: string;
  eventbridge: string;
  cognito: string;
  userPoolId: string;
  clientId: string;
  /** The WebSocket API's @connections endpoint (the notify function's WS_ENDPOINT). */
  websocketManagement: string;
}

export function handlerEnv(input: HandlerEnvInput): Record<string, string | undefined> {
  return {
    AWS_REGION: resources.region,
    AWS_DEFAULT_REGION: resources.region,
    AWS_ACCESS_KEY_ID: sandboxCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandboxCredentials.secretAccessKey,
    // A developer's own session or profile must not leak into the sandbox.
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamodb,
    AWS_ENDPOINT_URL_S3: input.s3,
    AWS_ENDPOINT_URL_EVENTBRIDGE: input.eventbridge,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: input.cognito,
    EVENTS_TABLE: resources.eventsTable,
    VIEWS_BUCKET: resources.viewsBucket,
    EVENT_BUS_NAME: resources.eventBus,
    USER_POOL_ID: input.userPoolId,
    USER_POOL_CLIENT_ID: input.clientId,
    CONNECTIONS_TABLE: resources.connectionsTable,
    WS_ENDPOINT: input.websocketManagement,
  };
}

/** Sets variables on process.env and returns a function that puts the previous values back. */
export function applyEnv(vars: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  assign(vars);
  return () => assign(previous);
}

function assign(vars: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
