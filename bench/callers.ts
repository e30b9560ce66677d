/**
 * Who made a request: every simulated Lambda invocation runs inside an AsyncLocalStorage
 * scope naming its function, and every outgoing HTTP request made in that scope carries
 * the name in an `x-bench-caller` header, which the counting proxies read and strip. So the
 * counters can say "the channel projection made these S3 PUTs" without touching the
 * handlers' code: the SDK's Node HTTP handler looks `http.request` up when it builds a
 * client's agent, and it finds the wrapped one (installed before the sandbox starts).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";

export const callerHeader = "x-bench-caller";
const scope = new AsyncLocalStorage<string>();

export const currentCaller = (): string | undefined => scope.getStore();

/** Runs `work` as `caller`: requests it makes are attributed to that caller. */
export function asCaller<T>(caller: string, work: () => T): T {
  return scope.run(caller, work);
}

let installed = false;

/** Wraps `http.request` once per process so requests carry their caller. */
export function installCallerHeader(): void {
  if (installed) return;
  installed = true;
  const original = http.request;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const caller = scope.getStore();
    const [first] = args;
    if (caller && first && typeof first === "object" && !(first instanceof URL)) {
      const options = first as http.RequestOptions;
      args[0] = { ...options, headers: { ...(options.headers as Record<string, string> | undefined), [callerHeader]: caller } };
    }
    return (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
  };
  (http as { request: unknown }).request = wrapped;
}
