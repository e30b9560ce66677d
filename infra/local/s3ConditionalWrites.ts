/**
 * S3's conditional writes, which s3rver accepts and ignores, enforced in front of it.
 *
 * - PutObject with `If-None-Match: *` on an existing key → 412 PreconditionFailed.
 * - PutObject with `If-Match: <etag>` → 412 PreconditionFailed when the current ETag differs;
 *   404 NoSuchKey when the key does not exist (what S3 answers).
 * - Every request on one object key (reads too) holds a per-key lock until its response is
 *   sent, so a check and the write it guards are atomic, and a read never sees a write
 *   half done (s3rver rewrites the object's file in place).
 * Only path-style addressing (`/<bucket>/<key>`) is understood; the SDK uses it for IP
 * endpoints. Anything else passes through untouched.
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { finished } from "node:stream/promises";
import { KeyedLock } from "./keyedLock";

/** Where the layer reads an object's current ETag (quoted, as S3 returns it), if any. */
export type CurrentEtag = (bucket: string, key: string) => Promise<string | undefined>;

export interface ObjectTarget {
  bucket: string;
  key: string;
  plainPut: boolean;
}

export interface Refusal {
  status: number;
  code: string;
  message: string;
  detail: Record<string, string>;
}

export function conditionalWrites(currentEtag: CurrentEtag, next: RequestListener): RequestListener {
  const lock = new KeyedLock();
  return (req, res) => {
    const target = objectTarget(req);
    if (!target) return next(req, res);
    lock
      .run(`${target.bucket}/${target.key}`, async () => {
        const refusal = target.plainPut ? precondition(req.headers, target, await currentEtag(target.bucket, target.key)) : undefined;
        if (refusal) return refuse(req, res, refusal);
        next(req, res);
        await finished(res).catch(() => undefined);
      })
      .catch((error: unknown) => {
        if (!res.headersSent) void refuse(req, res, internalError(error));
      });
  };
}

export function objectTarget(req: IncomingMessage): ObjectTarget | undefined {
  const url = new URL(req.url ?? "/", "http://s3");
  const [, bucket, ...rest] = url.pathname.split("/").map(decodePathSegment);
  const key = rest.join("/");
  if (!bucket || !key) return undefined;
  const subresources = [...url.searchParams.keys()].filter((name) => name !== "x-id" && !name.startsWith("X-Amz-"));
  const plainPut = req.method === "PUT" && subresources.length === 0 && !req.headers["x-amz-copy-source"];
  return { bucket, key, plainPut };
}

function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function precondition(headers: IncomingHttpHeaders, target: ObjectTarget, etag: string | undefined): Refusal | undefined {
  const ifNoneMatch = headers["if-none-match"];
  const ifMatch = headers["if-match"];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== "*") return notImplemented("If-None-Match");
    if (etag !== undefined) return preconditionFailed("If-None-Match");
  }
  if (ifMatch !== undefined) {
    if (etag === undefined) {
      return { status: 404, code: "NoSuchKey", message: "The specified key does not exist.", detail: { Key: target.key } };
    }
    const wanted = ifMatch.split(",").map(normalizeEtag);
    if (!wanted.includes("*") && !wanted.includes(normalizeEtag(etag))) return preconditionFailed("If-Match");
  }
  return undefined;
}

const normalizeEtag = (etag: string) => etag.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1");

const preconditionFailed = (condition: string): Refusal => ({
  status: 412,
  code: "PreconditionFailed",
  message: "At least one of the pre-conditions you specified did not hold",
  detail: { Condition: condition },
});

const notImplemented = (header: string): Refusal => ({
  status: 501,
  code: "NotImplemented",
  message: "A header you provided implies functionality that is not implemented",
  detail: { Header: header },
});

const internalError = (error: unknown): Refusal => ({
  status: 500,
  code: "InternalError",
  message: `We encountered an internal error. Please try again. (${String(error)})`,
  detail: {},
});

/** Answers with S3's XML error body, after reading the request body so the connection stays usable. */
export async function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal): Promise<void> {
  req.resume();
  await finished(req).catch(() => undefined);
  const requestId = randomUUID().replace(/-/g, "").slice(0, 16).toUpperCase();
  const detail = Object.entries(refusal.detail).map(([name, value]) => `<${name}>${xml(value)}</${name}>`);
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${refusal.code}</Code><Message>${xml(refusal.message)}</Message>${detail.join("")}` +
    `<RequestId>${requestId}</RequestId><HostId>sandbox</HostId></Error>`;
  res.writeHead(refusal.status, {
    "content-type": "application/xml",
    "content-length": Buffer.byteLength(body),
    "x-amz-request-id": requestId,
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
