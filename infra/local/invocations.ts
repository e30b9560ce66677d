/**
 * Which Lambda invocation an outgoing SDK request belongs to, and how an invocation dies.
 *
 * The sandbox runs many invocations at once in one process, so "the store handler crashed
 * right after its append" has to single out one invocation without any code path in the
 * handler. Each invocation runs inside an AsyncLocalStorage context (lambdaRuntime.ts);
 * Node's `http.client.request.start` diagnostics channel fires in the context of the code
 * that made the request, so it knows the invocation of every request the SDK sends.
 *
 * The `append-crash` fault then works like this:
 * 1. The DynamoDB fault proxy (dynamodbFaults.ts) lets an event's conditional PutItem land,
 *    and answers it with `x-sandbox-fault: append-crash` and an error the SDK does not
 *    retry (400 `…#SandboxInvocationCrashed`). The answer of a dead process never reaches
 *    its code; this one reaches only its error path, so nothing after the append (claims,
 *    snapshot, publish) ever happens: the store handler goes straight to its catch, which
 *    logs and makes no request.
 * 2. When that answer reaches a request of a `store` invocation, the invocation crashes:
 *    its caller (the front door) gets a LambdaCrashError at once and answers 502, as API
 *    Gateway does when the integration's Lambda fails. Whatever the handler returns later
 *    goes nowhere.
 *    What a crashed invocation still writes to stdout or stderr (its catch's log line) is
 *    dropped: a dead process logs nothing.
 * 3. Should a crashed invocation still send a request (it would be a bug in this scheme:
 *    the SDK has already written the request when the channel fires, so it cannot be
 *    stopped), it is destroyed on the client side and reported through `onLateRequest`;
 *    the fault tests assert there are none.
 * Why not let the proxy fail the request with a 5xx: the SDK would retry the landed
 * conditional put, meet its own item as a conflict, and the store would recognise its
 * event and answer 202 (functions/usecases/appendEvent.ts). That is a real path too (an
 * answer lost on the network), but not the crash this fault stands for.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import diagnostics from "node:diagnostics_channel";
import type { ClientRequest, IncomingMessage } from "node:http";

/** The response header by which a fault proxy tells the runtime to crash the invocation. */
export const faultHeader = "x-sandbox-fault";

/** An invocation whose runtime died (Runtime.ExitError on AWS). */
export class LambdaCrashError extends Error {
  override name = "LambdaCrashError";
}

/** A request made by an invocation after it crashed: destroyed, and counted (see 3. above). */
export class InvocationGoneError extends Error {
  override name = "InvocationGoneError";
}

export interface Invocation {
  id: string;
  func: string;
  crashed?: LambdaCrashError;
  /** Crashes the invocation: its caller sees `error` at once. */
  crash(error: LambdaCrashError): void;
}

export interface CrashHooks {
  /** An invocation crashed because of `fault`. */
  onCrash(fault: string): void;
  /** A crashed invocation sent a request anyway (see the header comment). */
  onLateRequest(description: string): void;
}

/** Functions whose invocations a fault header may crash, and what to do when one does. */
const crashable = new Map<string, CrashHooks>();

const current = new AsyncLocalStorage<Invocation>();

/** Runs an invocation in its context; without crash faults, plainly (AsyncLocalStorage costs a little on every promise). */
export function runInInvocation<T>(invocation: Invocation, run: () => Promise<T>): Promise<T> {
  return subscribed ? current.run(invocation, run) : run();
}

/** Lets answers marked with `x-sandbox-fault` crash invocations of `func`. Returns the undo. */
export function allowCrashes(func: string, hooks: CrashHooks): () => void {
  crashable.set(func, hooks);
  subscribe();
  return () => {
    if (crashable.get(func) === hooks) crashable.delete(func);
  };
}

let subscribed = false;

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  silenceCrashed(process.stdout);
  silenceCrashed(process.stderr);
  diagnostics.subscribe("http.client.request.start", (message) => {
    const invocation = current.getStore();
    if (!invocation) return;
    const request = (message as { request: ClientRequest }).request;
    if (invocation.crashed) {
      const description = `${request.method} ${String(request.getHeader("host"))}${request.path} ${String(request.getHeader("x-amz-target") ?? "")}`;
      crashable.get(invocation.func)?.onLateRequest(`${invocation.func} invocation ${invocation.id} sent ${description} after it crashed`);
      request.destroy(new InvocationGoneError(`${invocation.func} invocation ${invocation.id} crashed before this request`));
      return;
    }
    request.prependListener("response", (response: IncomingMessage) => {
      const fault = response.headers[faultHeader];
      const hooks = crashable.get(invocation.func);
      if (typeof fault !== "string" || !hooks || invocation.crashed) return;
      invocation.crash(new LambdaCrashError(`Runtime exited: the ${fault} fault stopped the ${invocation.func} invocation ${invocation.id} when this request was answered`));
      hooks.onCrash(fault);
    });
  });
}

/** Drops what code of a crashed invocation writes to `stream` (the Lambda log pipe, on AWS gone with its process). */
function silenceCrashed(stream: NodeJS.WriteStream): void {
  const write = stream.write;
  stream.write = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
    if (current.getStore()?.crashed) {
      const callback = args.find((arg): arg is () => void => typeof arg === "function");
      if (callback) process.nextTick(callback);
      return true;
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof stream.write;
}
