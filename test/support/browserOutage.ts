/**
 * An outage of the chat's servers as one browser context sees it, without stopping the
 * sandbox: while it lasts, every request to the HTTP API is refused at the connection (as a
 * stopped server's port refuses it) and every WebSocket is closed as it opens; the sockets
 * open when it starts are cut. The browser is not told it is offline (no `offline` or
 * `online` event), so the app must notice by itself.
 */
import type { BrowserContext, WebSocketRoute } from "playwright-core";
import type { Sandbox } from "../../infra/local";

export interface Outage {
  start(): void;
  end(): void;
  /** WebSocket connections the page tried, with when (ms since the epoch). */
  readonly socketAttempts: number[];
}

export async function routeOutage(context: BrowserContext, sandbox: Sandbox): Promise<Outage> {
  let down = false;
  const socketAttempts: number[] = [];
  await context.route(
    (url) => url.href.startsWith(sandbox.urls.api),
    (route) => (down ? route.abort("connectionrefused") : route.fallback()),
  );
  await context.routeWebSocket(/\/ws\?/, (ws: WebSocketRoute) => {
    socketAttempts.push(Date.now());
    if (down) return void ws.close();
    ws.connectToServer();
  });
  return {
    socketAttempts,
    start: () => {
      down = true;
      for (const socket of sandbox.sockets.values()) socket.terminate();
    },
    end: () => {
      down = false;
    },
  };
}
