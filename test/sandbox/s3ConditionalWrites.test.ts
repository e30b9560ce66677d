import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { expect } from "chai";
import { resources } from "../../infra/local/context";
import { sandboxCredentials } from "../../infra/local/env";
import * as s3 from "../../infra/local/s3";
import { removeDir, tempDataDir, testContext } from "../support/sandboxContext";

describe("sandbox S3 (s3rver with conditional writes)", () => {
  let dataDir: string;
  let service: s3.S3Service;
  let client: S3Client;
  const Bucket = resources.viewsBucket;
  let n = 0;
  const freshKey = () => `views/test/${Date.now()}-${n++}.json`;

  before(async () => {
    dataDir = await tempDataDir();
    service = await s3.start(testContext(dataDir));
    client = new S3Client({ endpoint: service.url, region: resources.region, credentials: sandboxCredentials });
  });
  after(async () => {
    client.destroy();
    await service.stop();
    await removeDir(dataDir);
  });

  const put = (Key: string, Body: string, conditions: { IfMatch?: string; IfNoneMatch?: string } = {}) =>
    client.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: "application/json", ...conditions }));

  async function statusOf(promise: Promise<unknown>): Promise<number> {
    try {
      await promise;
      return 200;
    } catch (error) {
      if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode ?? 0;
      throw error;
    }
  }

  it("addresses the bucket path-style at an IP endpoint", async () => {
    const seen: string[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { hostname: string; path: string };
        seen.push(`${request.hostname} ${request.path}`);
        return next(args);
      },
      { step: "finalizeRequest", name: "recordPath" },
    );
    await put(freshKey(), "{}");
    client.middlewareStack.remove("recordPath");
    expect(seen[0]).to.match(new RegExp(`^127\\.0\\.0\\.1 /${Bucket}/views/test/`));
  });

  it("passes a plain put and get through to s3rver", async () => {
    const Key = freshKey();
    const written = await put(Key, '{"a":1}');
    const read = await client.send(new GetObjectCommand({ Bucket, Key }));
    expect(await read.Body?.transformToString()).to.equal('{"a":1}');
    expect(read.ETag).to.equal(written.ETag);
  });

  it("creates a new key with If-None-Match: *", async () => {
    expect(await statusOf(put(freshKey(), "{}", { IfNoneMatch: "*" }))).to.equal(200);
  });

  it("refuses If-None-Match: * on an existing key with 412 PreconditionFailed and keeps the object", async () => {
    const Key = freshKey();
    await put(Key, "first");
    const error = await put(Key, "second", { IfNoneMatch: "*" }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(S3ServiceException);
    expect((error as S3ServiceException).name).to.equal("PreconditionFailed");
    expect((error as S3ServiceException).$metadata.httpStatusCode).to.equal(412);
    const read = await client.send(new GetObjectCommand({ Bucket, Key }));
    expect(await read.Body?.transformToString()).to.equal("first");
  });

  it("writes with If-Match when the ETag is the current one", async () => {
    const Key = freshKey();
    const first = await put(Key, "v1");
    const second = await put(Key, "v2", { IfMatch: first.ETag! });
    expect(second.ETag).to.not.equal(first.ETag);
    const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
    expect(head.ETag).to.equal(second.ETag);
  });

  it("refuses a stale If-Match with 412 and keeps the newer object", async () => {
    const Key = freshKey();
    const first = await put(Key, "v1");
    await put(Key, "v2", { IfMatch: first.ETag! });
    expect(await statusOf(put(Key, "v3", { IfMatch: first.ETag! }))).to.equal(412);
    const read = await client.send(new GetObjectCommand({ Bucket, Key }));
    expect(await read.Body?.transformToString()).to.equal("v2");
  });

  it("answers If-Match on a missing key with 404 NoSuchKey, as S3 does", async () => {
    const error = await put(freshKey(), "x", { IfMatch: '"0123456789abcdef0123456789abcdef"' }).catch((e: unknown) => e);
    expect((error as S3ServiceException).name).to.equal("NoSuchKey");
    expect((error as S3ServiceException).$metadata.httpStatusCode).to.equal(404);
  });

  it("lets exactly one of two concurrent puts with the same If-Match win", async () => {
    const Key = freshKey();
    const { ETag } = await put(Key, "base");
    const bodies = ["left", "right"];
    const statuses = await Promise.all(bodies.map((body) => statusOf(put(Key, body, { IfMatch: ETag! }))));
    expect([...statuses].sort()).to.deep.equal([200, 412]);
    const read = await client.send(new GetObjectCommand({ Bucket, Key }));
    expect(await read.Body?.transformToString()).to.equal(bodies[statuses.indexOf(200)]);
  });

  it("lets exactly one of many concurrent creates with If-None-Match: * win", async () => {
    const Key = freshKey();
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => statusOf(put(Key, `writer-${i}`, { IfNoneMatch: "*" }))),
    );
    expect(statuses.filter((s) => s === 200)).to.have.length(1);
    expect(statuses.filter((s) => s === 412)).to.have.length(7);
  });

  it("keeps objects on disk across a restart", async () => {
    const Key = freshKey();
    await put(Key, "durable");
    await service.stop();
    service = await s3.start(testContext(dataDir));
    const restarted = new S3Client({ endpoint: service.url, region: resources.region, credentials: sandboxCredentials });
    const read = await restarted.send(new GetObjectCommand({ Bucket, Key }));
    expect(await read.Body?.transformToString()).to.equal("durable");
    restarted.destroy();
    client.destroy();
    client = new S3Client({ endpoint: service.url, region: resources.region, credentials: sandboxCredentials });
  });
});
