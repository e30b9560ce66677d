/**
 * A small counting HTTP proxy: put in front of a local server, it forwards each request
 * byte for byte (the Host header too, so s3rver's SigV4 check still holds), buffers both
 * bodies, and hands the whole exchange to a meter. A meter may rewrite the request body
 * first (the DynamoDB meter asks for ConsumedCapacity that way).
 */
import { createServer, Agent, request, type IncomingHttpHeaders, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { callerHeader } from "./callers";

export interface Exchange {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The caller named by the request's x-bench-caller header, or "unattributed". */
  caller: string;
  requestBody: Buffer;
  status: number;
  responseHeaders: IncomingHttpHeaders;
  responseBody: Buffer;
  /** Date.now() when the upstream answer was complete: when the change became visible. */
  answeredAt: number;
  /** Milliseconds from sending the request upstream to its answer being complete. */
  ms: number;
}

export interface Meter {
  /** May return a replacement body for the upstream request. */
  rewrite?(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): Buffer | undefined;
  record(exchange: Exchange): void;
}

export interface RunningProxy {
  url: string;
  stop(): Promise<void>;
}

const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "expect", "te", "trailer"]);

export async function startProxy(target: string, meter: Meter): Promise<RunningProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const caller = String(req.headers[callerHeader] ?? "unattributed");
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || hopByHop.has(name) || name === callerHeader) continue;
        headers[name] = value;
      }
      const rewritten = meter.rewrite?.(req.method ?? "GET", req.url ?? "/", req.headers, body);
      const sent = rewritten ?? body;
      if (rewritten) headers["content-length"] = String(rewritten.length);
      else if (req.headers["content-length"] === undefined && body.length > 0) headers["content-length"] = String(body.length);
      const sentAt = performance.now();
      const answer = await forward(agent, upstream, req.method ?? "GET", req.url ?? "/", headers, sent);
      const answeredAt = Date.now();
      const ms = performance.now() - sentAt;
      try {
        meter.record({
          method: req.method ?? "GET",
          url: req.url ?? "/",
          headers: req.headers,
          caller,
          requestBody: body,
          status: answer.status,
          responseHeaders: answer.headers,
          responseBody: answer.body,
          answeredAt,
          ms,
        });
      } catch (error) {
        console.error(`[bench] meter failed: ${(error as Error).message}`);
      }
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value === undefined || hopByHop.has(name)) continue;
        out[name] = value;
      }
      if (req.method !== "HEAD" && answer.headers["content-length"] === undefined) out["content-length"] = String(answer.body.length);
      res.writeHead(answer.status, out);
      res.end(req.method === "HEAD" ? undefined : answer.body);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`bench proxy: ${(error as Error).message}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

function forward(
  agent: Agent,
  upstream: URL,
  method: string,
  path: string,
  headers: Record<string, string | string[]>,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: upstream.hostname, port: upstream.port, method, path, headers, agent, setHost: false },
      (res) => {
        readAll(res).then((buffer) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: buffer }), reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body.length > 0 ? body : undefined);
  });
}
