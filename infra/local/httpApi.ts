/**
 * The HTTP API front door on `port` (loopback, IPv4 and IPv6): the API Gateway routes with
 * their authorizer (the JWT authorizer; the Slack routes' Lambda authorizer, lambdaAuthorizer.ts;
 * none for a webhook's URL), each handed to its Lambda handler as a payload 2.0 event, plus
 * the web origin's files (/config.json, web/dist).
 *
 * Faults (faults.ts): `api` answers 503 `{"message":"Service Unavailable"}` in place of the
 * handler, which never runs. A handler whose invocation crashed (`append-crash`) gets 502
 * `{"message":"Internal Server Error"}`, as API Gateway answers for a Lambda whose runtime
 * exited; one that threw gets 500 and one that timed out 503, as before.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { FunctionName } from "../../functions/handlers";
import { httpApiEvent, httpResult, newRequestId } from "./apiGatewayEvent";
import { errorMessage, type SandboxContext } from "./context";
import { corsHeaders, isPreflight, sendPreflight } from "./cors";
import type { ApiHandler } from "./handlers";
import { errorBody, sendJson } from "./httpJson";
import { jwtAuthorizer } from "./jwtAuthorizer";
import { lambdaAuthorize } from "./lambdaAuthorizer";
import { invokeLambda, LambdaCrashError, LambdaTimeoutError } from "./lambdaRuntime";
import { close, listen, loopback, urlOf } from "./listen";
import { BodyTooLargeError, readBody } from "./requestBody";
import { instances, type Running } from "./service";
import { isDirectory, sendConfig, sendNotBuilt, sendWebFile } from "./webFiles";

export interface HttpApiOptions {
  /** Default 3000; 0 = any free port. */
  port: number;
  userPoolId: string;
  clientId: string;
  cognitoUrl: string;
  issuer: string;
  jwksUrl: string;
  /** The built web app; default web/dist of the repository. */
  webRoot: string;
  /** Origins allowed besides the web origin itself (e.g. a Vite dev server). */
  corsOrigins?: string[];
  /** WebSocket upgrades (the `/ws` route of the WebSocket API stand-in). */
  onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export interface HttpApiService extends Running {
  url: string;
  port: number;
}

/** Requests over this size are refused at the door; the store itself enforces the contract's 64 KiB. */
export const maxBodyBytes = 1024 * 1024;

interface Route {
  method: string;
  routeKey: string;
  func: FunctionName & ("store" | "views" | "query" | "apps" | "webhook") | "slack";
  /** Who checks the caller first: the JWT authorizer (default), the Lambda authorizer of the Slack routes, or nobody (a webhook's URL is its credential). */
  auth?: "lambda" | "none";
  match(path: string): Record<string, string> | undefined | false;
}

/** `/api/a/{x}/b` style paths: the parameters by name, or false when the path is another. */
function pattern(template: string): (path: string) => Record<string, string> | undefined | false {
  const names: string[] = [];
  const regex = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_m, name: string) => (names.push(name), "([^/]+)"))}$`);
  return (path) => {
    const found = regex.exec(path);
    if (!found) return false;
    return names.length === 0 ? undefined : Object.fromEntries(names.map((name, i) => [name, safeDecode(found[i + 1]!)]));
  };
}

const route = (routeKey: string, func: Route["func"], auth?: Route["auth"]): Route => {
  const [method, template] = routeKey.split(" ") as [string, string];
  return { method, routeKey, func, ...(auth ? { auth } : {}), match: pattern(template) };
};

const routes: Route[] = [
  route("POST /api/events", "store"),
  route("PUT /api/read-marks/{channelId}", "store"),
  route("GET /api/search", "query"),
  {
    method: "GET",
    routeKey: "GET /api/views/{proxy+}",
    func: "views",
    match: (p) => (p.startsWith("/api/views/") && p.length > "/api/views/".length ? { proxy: safeDecode(p.slice("/api/views/".length)) } : false),
  },
  route("POST /api/apps", "apps"),
  route("GET /api/apps", "apps"),
  route("DELETE /api/apps/{appId}", "apps"),
  route("POST /api/apps/{appId}/webhooks", "apps"),
  route("POST /api/hooks/{webhookId}/{secret}", "webhook", "none"),
  route("POST /api/slack/{method}", "slack", "lambda"),
  route("GET /api/slack/{method}", "slack", "lambda"),
];

const running = instances<HttpApiService>();

export async function start(ctx: SandboxContext, options: HttpApiOptions): Promise<HttpApiService> {
  const authorize = jwtAuthorizer({ issuer: options.issuer, audience: options.clientId, jwksUrl: options.jwksUrl });
  const webBuilt = await isDirectory(options.webRoot);
  let port = options.port;
  const origins = () => [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`, ...(options.corsOrigins ?? [])];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://door").pathname;
    if (path.startsWith("/api/")) return api(req, res, path);
    if ((req.method === "GET" || req.method === "HEAD") && path === "/config.json") {
      return sendConfig(req, res, { ...options, fallbackHost: `localhost:${port}` });
    }
    if (req.method === "GET" || req.method === "HEAD") {
      if (webBuilt && (await sendWebFile(req, res, options.webRoot))) return;
      if (!webBuilt && (path === "/" || path === "/index.html")) return sendNotBuilt(res);
    }
    sendJson(res, 404, errorBody("not_found", `no route for ${req.method} ${path}`));
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const cors = corsHeaders(req, origins());
    if (isPreflight(req)) return sendPreflight(res, cors);
    const found = routes.flatMap((route) => {
      const params = route.method === req.method && ctx.handlers[route.func] ? route.match(path) : false;
      return params === false ? [] : [{ route, params }];
    })[0];
    if (!found) return sendJson(res, 404, errorBody("not_found", `no route for ${req.method} ${path}`), cors);
    const requestId = newRequestId();
    let authorizer: { claims: Record<string, unknown> } | { lambdaContext: Record<string, unknown> } | {} = {};
    if (found.route.auth === "lambda") {
      const decided = await lambdaAuthorize("slackAuthorizer", ctx.handlers.slackAuthorizer, { req, routeKey: found.route.routeKey, pathParameters: found.params, requestId });
      if (!decided.ok) return sendJson(res, decided.status, { message: decided.message }, { ...cors, "apigw-requestid": requestId });
      authorizer = { lambdaContext: decided.context };
    } else if (found.route.auth !== "none") {
      const auth = await authorize(req.headers.authorization);
      if (!auth.ok) {
        const challenge = `Bearer error="invalid_token" error_description="${auth.reason}"`;
        return sendJson(res, 401, errorBody("unauthorized", auth.reason), { ...cors, "www-authenticate": challenge });
      }
      authorizer = { claims: auth.claims };
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      const message = `request bodies are limited to ${maxBodyBytes} bytes`;
      return sendJson(res, 413, errorBody("payload_too_large", message), { ...cors, connection: "close" });
    }
    if (ctx.faults?.roll("api")) {
      return sendJson(res, 503, { message: "Service Unavailable" }, { ...cors, "apigw-requestid": requestId, "x-sandbox-fault": "api" });
    }
    const event = httpApiEvent({ req, routeKey: found.route.routeKey, pathParameters: found.params, ...authorizer, body, requestId });
    const handler = ctx.handlers[found.route.func] as ApiHandler;
    try {
      const result = httpResult(await invokeLambda(found.route.func, handler, event));
      res.writeHead(result.statusCode, { ...result.headers, ...cors, "apigw-requestid": requestId, "content-length": result.body.length });
      res.end(result.body);
    } catch (error) {
      ctx.log("error", `${found.route.routeKey}: the ${found.route.func} handler failed: ${errorMessage(error)}`);
      const [status, message] =
        error instanceof LambdaTimeoutError ? [503, "Service Unavailable"] : error instanceof LambdaCrashError ? [502, "Internal Server Error"] : [500, "Internal Server Error"];
      sendJson(res, status, { message }, { ...cors, "apigw-requestid": requestId });
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      ctx.log("error", `http api: ${errorMessage(error)}`);
      if (!res.headersSent) sendJson(res, 500, errorBody("internal", "the sandbox failed to answer"));
      else res.destroy();
    });
  };
  const ipv4 = createServer(listener);
  const ipv6 = createServer(listener);
  const upgrade = options.onUpgrade ?? ((_req: IncomingMessage, socket: Duplex) => socket.destroy());
  for (const server of [ipv4, ipv6]) server.on("upgrade", upgrade);
  port = await listen(ipv4, options.port, loopback);
  // So that http://localhost works whichever address localhost resolves to first.
  const ipv6Bound = await listen(ipv6, port, "::1").then(
    () => true,
    (error: Error) => (ctx.log("info", `http api: not on [::1]:${port} (${error.message})`), false),
  );
  return running.track({
    url: urlOf(port),
    port,
    stop: async () => {
      await Promise.all([close(ipv4), ipv6Bound ? close(ipv6) : undefined]);
    },
  });
}

export const stop = () => running.stopAll();

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
