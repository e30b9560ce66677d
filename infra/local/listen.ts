import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export const loopback = "127.0.0.1";

/** Listens on `host:port` (port 0 = any free port) and resolves with the bound port. */
export function listen(server: Server, port: number, host: string = loopback): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes a server, dropping idle keep-alive sockets so the close doesn't wait for them to time out. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

export const urlOf = (port: number, host: string = loopback) => `http://${host}:${port}`;
