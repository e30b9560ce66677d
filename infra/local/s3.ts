/**
 * S3: s3rver keeping objects under <dataDir>/s3, the views bucket, S3's conditional writes in
 * front, and with faults the `s3-put` fault in front of those: a PutObject answered 503
 * SlowDown, as S3 answers when it sheds load (the SDK retries it; nothing is written).
 */
import type { RequestListener } from "node:http";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import S3rver from "s3rver";
import { resources, type SandboxContext } from "./context";
import { close, listen, urlOf } from "./listen";
import type { FaultInjector } from "./faults";
import { conditionalWrites, type CurrentEtag, objectTarget, refuse } from "./s3ConditionalWrites";
import { instances, type Running } from "./service";

export interface S3Service extends Running {
  url: string;
}

const running = instances<S3Service>();

export async function start(ctx: SandboxContext, port = 0): Promise<S3Service> {
  const directory = path.join(ctx.dataDir, "s3");
  await mkdir(directory, { recursive: true });
  const s3rver = new S3rver({
    directory,
    silent: true,
    configureBuckets: [{ name: resources.viewsBucket }],
  });
  await s3rver.configureBuckets();
  // The layer hands s3rver the request untouched, so its signature check still holds.
  const layers = conditionalWrites(currentEtag(s3rver), s3rver.callback());
  const server = createServer(ctx.faults ? faultyPuts(ctx.faults, layers) : layers);
  const url = urlOf(await listen(server, port));
  return running.track({ url, stop: () => close(server) });
}

export const stop = () => running.stopAll();

function currentEtag(s3rver: S3rver): CurrentEtag {
  return async (bucket, key) => {
    if (!(await s3rver.store.existsObject(bucket, key))) return undefined;
    return (await s3rver.store.getMetadata(bucket, key)).etag;
  };
}

/** `s3-put`: some PutObject requests get 503 SlowDown before anything else looks at them. */
export function faultyPuts(faults: FaultInjector, next: RequestListener): RequestListener {
  return (req, res) => {
    if (objectTarget(req)?.plainPut && faults.roll("s3-put")) {
      void refuse(req, res, { status: 503, code: "SlowDown", message: "Please reduce your request rate. (injected s3-put fault)", detail: {} });
      return;
    }
    next(req, res);
  };
}
