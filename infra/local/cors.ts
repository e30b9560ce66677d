/** CORS for the API routes, like the HTTP API's CORS configuration: preflights are answered before any authorizer. */
import type { IncomingMessage, ServerResponse } from "node:http";

export function corsHeaders(req: IncomingMessage, allowedOrigins: string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin || !allowedOrigins.includes(origin)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": "retry-after, apigw-requestid",
    vary: "origin",
  };
}

export const isPreflight = (req: IncomingMessage) =>
  req.method === "OPTIONS" && typeof req.headers["access-control-request-method"] === "string";

export function sendPreflight(res: ServerResponse, cors: Record<string, string>): void {
  const allowed = cors["access-control-allow-origin"]
    ? {
        ...cors,
        "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
        "access-control-allow-headers": "authorization, content-type, idempotency-key",
        "access-control-max-age": "600",
      }
    : {};
  res.writeHead(204, allowed);
  res.end();
}
