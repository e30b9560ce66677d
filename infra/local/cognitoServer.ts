/**
 * cognito-local's server, assembled like its own `createDefaultServer` but with our data
 * directory and configuration passed in: its default config module reads PORT and HOST
 * when imported, which would collide with the sandbox's own PORT, so it is never loaded.
 */
import path from "node:path";
import type { Writable } from "node:stream";
import type { RequestListener } from "node:http";
import type { Log } from "./context";
import { loggingSender, resendConfirmationCode } from "./cognitoCodes";
import { makeCognitoWritesSafe } from "./cognitoStorage";
import { caseInsensitiveUsernames } from "./cognitoUsernames";

export interface CognitoServerConfig {
  dataDir: string;
  /** `http://host:port`: the token issuer is `<issuerDomain>/<userPoolId>`. */
  issuerDomain: string;
  lambdaEndpoint: string;
  triggerFunctions: Record<string, string>;
  log: Log;
}

type Modules = {
  server: typeof import("cognito-local/lib/server/server");
  router: typeof import("cognito-local/lib/server/Router");
  errors: typeof import("cognito-local/lib/errors");
  services: typeof import("cognito-local/lib/services");
  cognitoService: typeof import("cognito-local/lib/services/cognitoService");
  crypto: typeof import("cognito-local/lib/services/crypto");
  stormDb: typeof import("cognito-local/lib/services/dataStore/stormDb");
  delivery: typeof import("cognito-local/lib/services/messageDelivery/messageDelivery");
  otp: typeof import("cognito-local/lib/services/otp");
  tokens: typeof import("cognito-local/lib/services/tokenGenerator");
  userPools: typeof import("cognito-local/lib/services/userPoolService");
};

function load(): Modules {
  makeCognitoWritesSafe();
  // cognito-local pulls in aws-sdk v2, which otherwise prints an end-of-support notice on load.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= "1";
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    server: require("cognito-local/lib/server/server"),
    router: require("cognito-local/lib/server/Router"),
    errors: require("cognito-local/lib/errors"),
    services: require("cognito-local/lib/services"),
    cognitoService: require("cognito-local/lib/services/cognitoService"),
    crypto: require("cognito-local/lib/services/crypto"),
    stormDb: require("cognito-local/lib/services/dataStore/stormDb"),
    delivery: require("cognito-local/lib/services/messageDelivery/messageDelivery"),
    otp: require("cognito-local/lib/services/otp"),
    tokens: require("cognito-local/lib/services/tokenGenerator"),
    userPools: require("cognito-local/lib/services/userPoolService"),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export async function cognitoApp(config: CognitoServerConfig): Promise<RequestListener> {
  const m = load();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Lambda = require("aws-sdk/clients/lambda") as typeof import("aws-sdk").Lambda;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { pino } = require("pino") as typeof import("pino");
  const logger = pino({ level: "error" }, forwardTo(config.log));
  const ctx = { logger };
  const dataDirectory = path.join(config.dataDir, "cognito");
  const cognitoConfig = {
    LambdaClient: { endpoint: config.lambdaEndpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } },
    TriggerFunctions: config.triggerFunctions,
    UserPoolDefaults: { UsernameAttributes: ["email"] },
    TokenConfig: { IssuerDomain: config.issuerDomain },
    // Only a CustomEmailSender trigger would use KMS; the sandbox configures none.
    KMSConfig: {},
    ServerConfig: { development: false, https: false as const },
  };
  const clock = new m.services.DateClock();
  const dataStores = new m.stormDb.StormDBDataStoreFactory(dataDirectory);
  const cognito = await new m.cognitoService.CognitoServiceFactoryImpl(
    dataDirectory,
    dataStores,
    // Usernames (the email here) match whatever their case, as in the stack's pool.
    caseInsensitiveUsernames(new m.userPools.UserPoolServiceFactoryImpl(clock, dataStores)),
  ).create(ctx, cognitoConfig.UserPoolDefaults);
  const triggers = new m.services.TriggersService(
    clock,
    cognito,
    new m.services.LambdaService(cognitoConfig.TriggerFunctions, new Lambda(cognitoConfig.LambdaClient)),
    new m.crypto.CryptoService(cognitoConfig.KMSConfig),
  );
  const services = {
    clock,
    cognito,
    config: cognitoConfig,
    // Codes of accounts still to confirm go to the sandbox's log (cognitoCodes.ts).
    messages: new m.services.MessagesService(triggers, new m.delivery.MessageDeliveryService(loggingSender(config.log))),
    otp: m.otp.otp,
    tokenGenerator: new m.tokens.JwtTokenGenerator(clock, triggers, cognitoConfig.TokenConfig),
    triggers,
  };
  const routes = m.router.Router(services);
  const resend = resendConfirmationCode(services, m.errors);
  const router = (target: string) => (target === "ResendConfirmationCode" ? resend : routes(target));
  const server = m.server.createServer(router, logger, cognitoConfig.ServerConfig, services);
  return server.application as RequestListener;
}

/** A pino destination that hands cognito-local's errors to the sandbox's log. */
function forwardTo(log: Log): Pick<Writable, "write"> {
  return {
    write(line: string) {
      try {
        const record = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        log("error", `cognito-local: ${[record.msg, record.err?.message].filter(Boolean).join(": ")}`);
      } catch {
        log("error", `cognito-local: ${line.trim()}`);
      }
      return true;
    },
  };
}
