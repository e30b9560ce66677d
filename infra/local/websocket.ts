/**
 * The WebSocket API's stand-in: `/ws?token=…` on the front door's port runs the `$connect`
 * authorizer and the connect handler as API Gateway would, `$disconnect` on close, and an
 * `@connections` endpoint (POST/DELETE/GET /@connections/{id}) that the notify handler's
 * real ApiGatewayManagementApi client calls. Tokens ride in the query: only paths are logged.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import { errorMessage, resources, type SandboxContext } from "./context";
import type { WebsocketEvent } from "./handlers";
import { invokeLambda } from "./lambdaRuntime";
import { close, listen, urlOf } from "./listen";
import { readBody } from "./requestBody";
import { instances, type Running } from "./service";

export interface WebsocketService extends Running {
  /** The @connections endpoint (WS_ENDPOINT). */
  managementUrl: string;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open sockets, by connection id (tests drop one to see the client reconnect). */
  connections: Map<string, WebSocket>;
  /**
   * Closes every open socket with a close frame (1001 Going Away: the server is going down),
   * so pages know to reconnect; a socket whose peer does not answer within `graceMs` (default
   * 1 s) is cut.
   */
  closeConnections(graceMs?: number): Promise<void>;
}

const running = instances<WebsocketService>();
const stage = "live";

export async function start(ctx: SandboxContext, port = 0): Promise<WebsocketService> {
  const sockets = new Map<string, WebSocket>();
  const wss = new WebSocketServer({ noServer: true });

  async function connect(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://door");
    const connectionId = randomBytes(12).toString("base64url");
    const token = url.searchParams.get("token") ?? undefined;
    const authorized = await invokeLambda("wsAuthorizer", ctx.handlers.wsAuthorizer, {
      type: "REQUEST",
      methodArn: `arn:aws:execute-api:${resources.region}:${resources.account}:local/${stage}/$connect`,
      resource: "$connect",
      path: url.pathname,
      httpMethod: "GET",
      headers: {},
      multiValueHeaders: {},
      pathParameters: null,
      queryStringParameters: token === undefined ? {} : { token },
      multiValueQueryStringParameters: null,
      stageVariables: null,
      requestContext: { routeKey: "$connect", eventType: "CONNECT", connectionId, stage },
    } as never).catch(() => undefined);
    // Refused either way. (API Gateway answers an explicit Deny with 403 and a thrown
    // "Unauthorized" with 401; a browser's WebSocket sees neither, so the sandbox says 401.)
    const allowed = authorized?.policyDocument.Statement.some((s) => s.Effect === "Allow");
    if (!authorized || !allowed) return refuse(socket, 401, "Unauthorized");
    const authorizer = { principalId: authorized.principalId, ...(authorized.context as Record<string, string>) };
    const answer = await invokeLambda("connect", ctx.handlers.connect, websocketEvent("$connect", "CONNECT", connectionId, authorizer));
    const status = typeof answer === "object" && answer ? (answer.statusCode ?? 200) : 200;
    if (status >= 300) return refuse(socket, status, "Forbidden");
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.set(connectionId, ws);
      ws.on("close", () => {
        sockets.delete(connectionId);
        invokeLambda("disconnect", ctx.handlers.disconnect, websocketEvent("$disconnect", "DISCONNECT", connectionId, authorizer)).catch((error) =>
          ctx.log("error", `ws $disconnect: ${errorMessage(error)}`),
        );
      });
    });
  }

  const management = createServer((req, res) => {
    manage(req, res, sockets).catch((error) => {
      ctx.log("error", `@connections: ${errorMessage(error)}`);
      if (!res.headersSent) send(res, 500, "InternalServerErrorException", "the sandbox failed to answer");
    });
  });
  const managementUrl = urlOf(await listen(management, port));
  return running.track({
    managementUrl,
    connections: sockets,
    handleUpgrade(req, socket, head) {
      if (new URL(req.url ?? "/", "http://door").pathname !== "/ws") return refuse(socket, 404, "Not Found");
      connect(req, socket, head).catch((error) => {
        ctx.log("error", `ws $connect: ${errorMessage(error)}`);
        refuse(socket, 500, "Internal Server Error");
      });
    },
    closeConnections: (graceMs) => closeSockets(sockets.values(), graceMs),
    stop: async () => {
      await closeSockets(sockets.values());
      wss.close();
      await close(management);
    },
  });
}

export const stop = () => running.stopAll();

async function manage(req: IncomingMessage, res: ServerResponse, sockets: Map<string, WebSocket>): Promise<void> {
  const match = /^\/@connections\/([^/]+)$/.exec(new URL(req.url ?? "/", "http://mgmt").pathname);
  if (!match?.[1]) return send(res, 404, "NotFoundException", "no such route");
  const ws = sockets.get(decodeURIComponent(match[1]));
  if (!ws || ws.readyState !== WebSocket.OPEN) return send(res, 410, "GoneException", "the connection is gone");
  if (req.method === "POST") {
    ws.send((await readBody(req, 128 * 1024)).toString("utf8"));
    return send(res, 200);
  }
  if (req.method === "DELETE") {
    ws.close(1000);
    return send(res, 204);
  }
  if (req.method === "GET") return send(res, 200, undefined, undefined, { identity: {}, lastActiveAt: new Date().toISOString() });
  return send(res, 405, "MethodNotAllowed", "use POST, DELETE or GET");
}

async function closeSockets(open: Iterable<WebSocket>, graceMs = 1000): Promise<void> {
  const closing = [...open].map(
    (ws) =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        const cut = setTimeout(() => ws.terminate(), graceMs);
        ws.once("close", () => {
          clearTimeout(cut);
          resolve();
        });
        ws.close(1001, "the sandbox is stopping");
      }),
  );
  await Promise.all(closing);
}

function send(res: ServerResponse, status: number, errorType?: string, message?: string, body?: unknown): void {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (errorType) headers["x-amzn-errortype"] = errorType;
  res.writeHead(status, headers);
  res.end(status === 204 ? undefined : JSON.stringify(body ?? (message ? { message } : {})));
}

function refuse(socket: Duplex, status: number, reason: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${JSON.stringify({ message: reason })}`);
  else socket.destroy();
}

function websocketEvent(routeKey: string, eventType: "CONNECT" | "DISCONNECT", connectionId: string, authorizer: Record<string, string>): WebsocketEvent {
  const now = Date.now();
  return {
    requestContext: {
      routeKey,
      eventType,
      connectionId,
      authorizer,
      messageId: undefined as never,
      extendedRequestId: randomBytes(8).toString("hex"),
      requestTime: new Date(now).toUTCString(),
      messageDirection: "IN",
      stage,
      connectedAt: now,
      requestTimeEpoch: now,
      requestId: randomBytes(8).toString("hex"),
      domainName: "localhost",
      apiId: "local",
    },
    isBase64Encoded: false,
  } as WebsocketEvent;
}
