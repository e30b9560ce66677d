/**
 * Calls a handler the way Lambda does: the event and the result cross a JSON boundary
 * (so a handler can't rely on sharing objects with its caller), the handler gets a
 * Context, and a run longer than the function's timeout fails. Each run is an invocation
 * (invocations.ts) that a fault may crash: the caller then gets a LambdaCrashError at once.
 */
import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";
import type { FunctionName } from "../../functions/handlers";
import { resources } from "./context";
import { type LambdaHandler, specOf } from "./handlers";
import { type Invocation, LambdaCrashError, runInInvocation } from "./invocations";

export { LambdaCrashError };

export class LambdaTimeoutError extends Error {
  override name = "LambdaTimeoutError";
}

export async function invokeLambda<E, R>(
  func: FunctionName | "slack",
  handler: LambdaHandler<E, R>,
  event: E,
  functionName: string = func,
): Promise<R> {
  const { memoryMb, timeoutSeconds } = specOf(func);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const context = lambdaContext(functionName, memoryMb, deadline);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LambdaTimeoutError(`Task timed out after ${timeoutSeconds}.00 seconds`)),
      timeoutSeconds * 1000,
    );
  });
  let crash!: (error: LambdaCrashError) => void;
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  const invocation: Invocation = {
    id: context.awsRequestId,
    func,
    crash(error) {
      invocation.crashed = error;
      crash(error);
    },
  };
  try {
    const run = runInInvocation(invocation, () => Promise.resolve().then(() => handler(jsonCopy(event), context)));
    // A run that lost the race (timed out, crashed) may still settle later: nobody listens.
    run.catch(() => undefined);
    return jsonCopy(await Promise.race([run, timeout, crashed]));
  } finally {
    clearTimeout(timer);
  }
}

function jsonCopy<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}

function lambdaContext(functionName: string, memoryMb: number, deadline: number): Context {
  const done = () => {
    throw new Error("the sandbox supports async handlers only");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${resources.region}:${resources.account}:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `sandbox/[$LATEST]${randomUUID().replace(/-/g, "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done,
    fail: done,
    succeed: done,
  };
}
