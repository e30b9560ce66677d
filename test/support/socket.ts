/** A WebSocket client of the sandbox's realtime API that keeps every frame it receives. */
import WebSocket from "ws";
import type { Sandbox } from "../../infra/local";

export interface Pushed {
  type: string;
  event: { type: string; stream: string; seq: number; text?: string; userId: string };
}

export async function listen(sandbox: Pick<Sandbox, "urls">, token: string): Promise<{ ws: WebSocket; received: Pushed[]; raw: string[] }> {
  const ws = new WebSocket(`${sandbox.urls.ws}?token=${encodeURIComponent(token)}`);
  const received: Pushed[] = [];
  const raw: string[] = [];
  ws.on("message", (data) => {
    raw.push(String(data));
    received.push(JSON.parse(String(data)) as Pushed);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, received, raw };
}
