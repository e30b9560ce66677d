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

/** The first frame `listen` has received (or receives within `ms`) that `matches`. */
export async function pushedWhere(received: Pushed[], matches: (p: Pushed & { event: Record<string, unknown> }) => boolean, ms = 10_000): Promise<Pushed & { event: Record<string, unknown> }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = received.find((p) => matches(p as Pushed & { event: Record<string, unknown> }));
    if (found) return found as Pushed & { event: Record<string, unknown> };
    if (Date.now() > deadline) throw new Error(`no such push within ${ms} ms; got ${received.map((p) => p.event?.type).join(", ")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
