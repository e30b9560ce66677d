import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export const loopback = "127.0.0.1";

/**
 * How long a stopping server lets requests in flight finish before it cuts every
 * connection still open. Short: on stop nothing waits for a browser tab to go away.
 */
export const closeGraceMs = 500;

/** Every socket a server has accepted and not yet closed, upgraded ones (WebSockets) included. */
const openSockets = new WeakMap<Server, Set<Socket>>();

/** Listens on `host:port` (port 0 = any free port) and resolves with the bound port. */
export function listen(server: Server, port: number, host: string = loopback): Promise<number> {
  trackSockets(server);
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Closes a server and resolves once it is closed, within about `graceMs`: idle keep-alive
 * connections are dropped at once, and after `graceMs` every connection still open is cut.
 * Node's own `close()` waits for each one to end, which a browser tab's keep-alive or
 * WebSocket connection never does while the tab is open.
 */
export function close(server: Server, graceMs: number = closeGraceMs): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      destroyConnections(server);
      return resolve();
    }
    closeWithin(server, graceMs, (error) => (error ? reject(error) : resolve()));
  });
}

/** `server.close(done)`, cutting what is still connected after `graceMs` (for servers with a close of their own, as dynalite's). */
export function closeWithin(server: Server, graceMs: number, done: (error?: Error) => void): void {
  const cut = setTimeout(() => destroyConnections(server), graceMs);
  server.close((error) => {
    clearTimeout(cut);
    done(error);
  });
  server.closeIdleConnections();
}

function trackSockets(server: Server): void {
  if (openSockets.has(server)) return;
  const sockets = new Set<Socket>();
  openSockets.set(server, sockets);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
}

function destroyConnections(server: Server): void {
  server.closeAllConnections();
  for (const socket of openSockets.get(server) ?? []) socket.destroy();
}

export const urlOf = (port: number, host: string = loopback) => `http://${host}:${port}`;
