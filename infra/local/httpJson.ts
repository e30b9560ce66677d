import type { ServerResponse } from "node:http";

/** Sends a JSON answer (the contract's errors are `{"error": {"code", "message"}}`). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(res.req.method === "HEAD" ? undefined : text);
}

export const errorBody = (code: string, message: string) => ({ error: { code, message } });
