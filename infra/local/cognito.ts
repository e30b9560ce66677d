/**
 * Cognito: cognito-local keeping its pools under <dataDir>/cognito, with the sandbox's
 * user pool and web client, and triggers that make a new sign-up usable at once
 * (PreSignUp auto-confirms, unless told not to; PostConfirmation registers the user).
 */
import { mkdir } from "node:fs/promises";
import { createServer, type RequestListener } from "node:http";
import path from "node:path";
import type { SandboxContext } from "./context";
import { ensurePool } from "./cognitoPool";
import { cognitoApp } from "./cognitoServer";
import { triggerFunctions } from "./cognitoTriggers";
import { close, listen, urlOf } from "./listen";
import { cognitoWritesDone } from "./cognitoStorage";
import { instances, type Running } from "./service";

export interface CognitoOptions {
  /** Default 9229, cognito-local's usual port; 0 = any free port. */
  port?: number;
  /** The Lambda Invoke API the triggers call (see lambda.ts). */
  lambdaUrl: string;
  /**
   * Confirm sign-ups at once (the PreSignUp trigger; default true). False leaves them
   * unconfirmed until `ConfirmSignUp` with the code, as on a stack without the trigger; the
   * codes go to the sandbox's log (cognitoCodes.ts).
   */
  autoConfirm?: boolean;
}

export interface CognitoService extends Running {
  url: string;
  userPoolId: string;
  clientId: string;
  /** The `iss` of the pool's tokens. */
  issuer: string;
  jwksUrl: string;
}

const running = instances<CognitoService>();

export async function start(ctx: SandboxContext, options: CognitoOptions): Promise<CognitoService> {
  await mkdir(path.join(ctx.dataDir, "cognito"), { recursive: true });
  // Bind first: the token issuer holds the port, which is only known once bound.
  let app: RequestListener | undefined;
  const server = createServer((req, res) => (app ? app(req, res) : res.writeHead(503).end()));
  const url = urlOf(await listen(server, options.port ?? 9229));
  try {
    app = await cognitoApp({
      dataDir: ctx.dataDir,
      issuerDomain: url,
      lambdaEndpoint: options.lambdaUrl,
      triggerFunctions: options.autoConfirm === false ? withoutPreSignUp(triggerFunctions) : triggerFunctions,
      log: ctx.log,
    });
    const { userPoolId, clientId, created } = await ensurePool(url, ctx.dataDir);
    if (created) ctx.log("info", `created user pool ${userPoolId} and client ${clientId}`);
    const issuer = `${url}/${userPoolId}`;
    return running.track({ url, userPoolId, clientId, issuer, jwksUrl: `${issuer}/.well-known/jwks.json`, stop: async () => {
      await close(server);
      await cognitoWritesDone();
    } });
  } catch (error) {
    await close(server);
    throw error;
  }
}

export const stop = () => running.stopAll();

function withoutPreSignUp(functions: Record<string, string>): Record<string, string> {
  const { PreSignUp: _autoconfirm, ...others } = functions;
  return others;
}
