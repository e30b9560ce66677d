/**
 * The `append-crash` fault's half on the DynamoDB side: a small proxy in front of dynalite
 * (the handlers' AWS_ENDPOINT_URL_DYNAMODB points at it when the sandbox has faults). Every
 * request passes through untouched, except an event append drawn for the fault: once it has
 * landed, its answer is replaced by an error the SDK does not retry, marked with
 * `x-sandbox-fault: append-crash`. The sandbox's Lambda runtime then crashes the store
 * invocation that sent it (invocations.ts explains how and why): the event is durably in
 * the store, and its invocation never answers.
 *
 * An event append is a PutItem of an item whose `pk` is a channel stream (`channel-…`),
 * whose `sk` (the seq) is above 0 (0 is the stream's snapshot), with an
 * `attribute_not_exists` condition: exactly what functions/adapters/dynamoEventStore.ts
 * sends for each event.
 */
import { randomUUID } from "node:crypto";
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { errorMessage, type SandboxContext } from "./context";
import type { FaultInjector } from "./faults";
import { faultHeader } from "./invocations";
import { close, listen, urlOf } from "./listen";
import { readBody } from "./requestBody";

export interface DynamoDbFaultProxy {
  url: string;
  stop(): Promise<void>;
}

const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

export async function startFaultProxy(ctx: SandboxContext, upstreamUrl: string, faults: FaultInjector, port = 0): Promise<DynamoDbFaultProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    relay(req, res).catch((error: unknown) => {
      ctx.log("error", `dynamodb fault proxy: ${errorMessage(error)}`);
      if (!res.headersSent) {
        const body = JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "The sandbox's proxy failed" });
        res.writeHead(500, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(body) }).end(body);
      } else res.destroy();
    });
  });

  async function relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, 32 * 1024 * 1024);
    const crash = isEventAppend(req.headers, body) && faults.draw("append-crash");
    const answer = await forward(req, body);
    // Only a put that landed can crash its invocation: a refused one changed nothing.
    if (crash && answer.status === 200) return sendCrash(res);
    const headers = { ...answer.headers };
    for (const name of Object.keys(headers)) if (hopByHop.has(name)) delete headers[name];
    res.writeHead(answer.status, { ...headers, "content-length": answer.body.length });
    res.end(answer.body);
  }

  function forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const headers = { ...req.headers };
    for (const name of Object.keys(headers)) if (hopByHop.has(name)) delete headers[name];
    return new Promise((resolve, reject) => {
      const out = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...headers, "content-length": body.length }, agent },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
          answer.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });
  }

  const url = urlOf(await listen(server, port));
  return {
    url,
    async stop() {
      await close(server);
      agent.destroy();
    },
  };
}

/** The answer a landed append gets when its invocation is to crash: the SDK won't retry a 400 of an unknown type. */
function sendCrash(res: ServerResponse): void {
  const body = JSON.stringify({
    __type: "com.amazonaws.sandbox#SandboxInvocationCrashed",
    message: "The item was written; the invocation that sent it crashed (injected append-crash fault).",
  });
  res.writeHead(400, {
    "content-type": "application/x-amz-json-1.0",
    "content-length": Buffer.byteLength(body),
    "x-amzn-requestid": randomUUID(),
    [faultHeader]: "append-crash",
  });
  res.end(body);
}

/** A conditional PutItem of a channel event (see the header comment). */
export function isEventAppend(headers: IncomingHttpHeaders, body: Buffer): boolean {
  if (headers["x-amz-target"] !== "DynamoDB_20120810.PutItem") return false;
  let input: { Item?: { pk?: { S?: unknown }; sk?: { N?: unknown } }; ConditionExpression?: unknown };
  try {
    input = JSON.parse(body.toString("utf8")) as typeof input;
  } catch {
    return false;
  }
  const pk = input.Item?.pk?.S;
  const sk = Number(input.Item?.sk?.N);
  return (
    typeof pk === "string" &&
    pk.startsWith("channel-") &&
    sk > 0 &&
    typeof input.ConditionExpression === "string" &&
    input.ConditionExpression.includes("attribute_not_exists")
  );
}
