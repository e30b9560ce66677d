/**
 * A stand-in for the Lambda Invoke API (`POST /2015-03-31/functions/<name>/invocations`),
 * just enough for cognito-local's triggers: the body is the event, the answer the
 * handler's result, and a handler that throws answers 200 with `X-Amz-Function-Error`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { errorMessage, resources, type SandboxContext } from "./context";
import { close, listen, urlOf } from "./listen";
import { readBody } from "./requestBody";
import { instances, type Running } from "./service";

export type LambdaFunction = (event: unknown) => Promise<unknown>;

export interface LambdaService extends Running {
  url: string;
}

const running = instances<LambdaService>();
const invokePath = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function start(ctx: SandboxContext, functions: Record<string, LambdaFunction>, port = 0): Promise<LambdaService> {
  const server = createServer((req, res) => {
    invoke(functions, req, res).catch((error: unknown) => {
      ctx.log("error", `lambda: ${errorMessage(error)}`);
      if (!res.headersSent) reply(res, 500, { Type: "Service", Message: errorMessage(error) }, { "x-amzn-errortype": "ServiceException" });
    });
  });
  const url = urlOf(await listen(server, port));
  return running.track({ url, stop: () => close(server) });
}

export const stop = () => running.stopAll();

async function invoke(functions: Record<string, LambdaFunction>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const match = invokePath.exec(new URL(req.url ?? "/", "http://lambda").pathname);
  const name = match ? functionName(decodeURIComponent(match[1]!)) : undefined;
  const fn = name === undefined ? undefined : functions[name];
  if (req.method !== "POST" || !fn) {
    const arn = `arn:aws:lambda:${resources.region}:${resources.account}:function:${name ?? "?"}`;
    return reply(res, 404, { Type: "User", Message: `Function not found: ${arn}` }, { "x-amzn-errortype": "ResourceNotFoundException" });
  }
  const payload = (await readBody(req, 6 * 1024 * 1024)).toString("utf8");
  const event: unknown = payload === "" ? {} : JSON.parse(payload);
  const run = async () => {
    try {
      return { result: await fn(event) };
    } catch (error) {
      return { error };
    }
  };
  if (req.headers["x-amz-invocation-type"] === "Event") {
    void run();
    res.writeHead(202).end();
    return;
  }
  const outcome = await run();
  if ("error" in outcome) {
    const { error } = outcome;
    const body = error instanceof Error
      ? { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? "").split("\n") }
      : { errorType: "Error", errorMessage: String(error), trace: [] };
    return reply(res, 200, body, { "x-amz-function-error": "Unhandled" });
  }
  return reply(res, 200, outcome.result ?? null, {});
}

/** A function is named by its name or ARN, optionally qualified (`name:$LATEST`). */
function functionName(nameOrArn: string): string {
  const arn = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(nameOrArn);
  return (arn?.[1] ?? nameOrArn).split(":")[0]!;
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-amz-executed-version": "$LATEST",
    ...headers,
  });
  res.end(text);
}
