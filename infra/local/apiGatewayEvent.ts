/**
 * API Gateway HTTP API, payload format 2.0: the event a route's Lambda receives, and how
 * its result becomes the HTTP response. Shared by the front door and the tests.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from "aws-lambda";
import { resources } from "./context";

export interface HttpApiEventInput {
  req: IncomingMessage;
  routeKey: string;
  pathParameters?: Record<string, string>;
  /** A JWT authorizer's verified claims; absent on a route with a Lambda authorizer or none. */
  claims?: Record<string, unknown>;
  /** A Lambda authorizer's context (simple responses): the route's `authorizer.lambda`. */
  lambdaContext?: Record<string, unknown>;
  body: Buffer;
  requestId?: string;
  now?: Date;
}

export function httpApiEvent(input: HttpApiEventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { req, routeKey, body } = input;
  const now = input.now ?? new Date();
  const url = req.url ?? "/";
  const queryAt = url.indexOf("?");
  const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? "" : url.slice(queryAt + 1);
  const { headers, cookies } = eventHeaders(req);
  const domainName = headers.host ?? "localhost";
  const query = queryParameters(rawQueryString);
  return {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: resources.account,
      apiId: "sandbox",
      ...authorizerOf(input),
      domainName,
      domainPrefix: domainName.split(".")[0]!.split(":")[0]!,
      http: {
        method: req.method ?? "GET",
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: sourceIp(req),
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: input.requestId ?? newRequestId(),
      routeKey,
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: body.toString("utf8") } : {}),
    isBase64Encoded: false,
  };
}

/** What the route's authorizer hands on: a JWT authorizer's claims, a Lambda authorizer's context, or nothing. */
function authorizerOf(input: HttpApiEventInput): { authorizer: APIGatewayProxyEventV2WithJWTAuthorizer["requestContext"]["authorizer"] } {
  if (input.claims) {
    const scope = input.claims.scope;
    return { authorizer: { principalId: "", integrationLatency: 0, jwt: { claims: stringClaims(input.claims), scopes: typeof scope === "string" ? scope.split(" ") : null } } };
  }
  // The handler's type is the JWT routes'; a Lambda-authorized route's handler reads `lambda`.
  if (input.lambdaContext) return { authorizer: { lambda: input.lambdaContext } as never };
  // An open route's event has no authorizer at all: its handler's type says so (APIGatewayProxyEventV2).
  return {} as never;
}

/** API Gateway passes every claim as a string: numbers and booleans printed, arrays as `[a b]`. */
export function stringClaims(claims: Record<string, unknown>): Record<string, string> {
  const asString = (value: unknown): string =>
    typeof value === "string"
      ? value
      : Array.isArray(value)
        ? `[${value.map(asString).join(" ")}]`
        : typeof value === "object" && value !== null
          ? JSON.stringify(value)
          : String(value);
  return Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, asString(value)]));
}

/** Lowercase names, repeated headers joined by commas; cookies move to their own list. */
function eventHeaders(req: IncomingMessage): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (!values) continue;
    if (name === "cookie") cookies = values.flatMap((v) => v.split(/;\s*/)).filter(Boolean);
    else headers[name] = values.join(",");
  }
  const port = req.socket.localPort;
  headers["x-forwarded-for"] = sourceIp(req);
  headers["x-forwarded-proto"] = "http";
  if (port !== undefined) headers["x-forwarded-port"] = String(port);
  return { headers, cookies };
}

function queryParameters(raw: string): Record<string, string> | undefined {
  if (raw === "") return undefined;
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(raw)) params[name] = name in params ? `${params[name]},${value}` : value;
  return params;
}

function sourceIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, "");
}

export const newRequestId = () => randomBytes(12).toString("base64").replace(/[+/]/g, "A");

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `12/Mar/2020:19:03:58 +0000`, as in requestContext.time. */
function clfTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * Payload 2.0 results: a structured result gives status, headers, cookies and body; any
 * other value (a string, an object without statusCode) is a 200 JSON body.
 */
export function httpResult(result: APIGatewayProxyResultV2 | null | undefined): HttpResult {
  if (typeof result === "object" && result !== null && "statusCode" in result && result.statusCode !== undefined) {
    const headers: Record<string, string | string[]> = { "content-type": "application/json" };
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
    if (result.cookies?.length) headers["set-cookie"] = result.cookies;
    const body = Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8");
    return { statusCode: result.statusCode, headers, body };
  }
  const text = typeof result === "string" ? result : JSON.stringify(result ?? null);
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: Buffer.from(text) };
}
