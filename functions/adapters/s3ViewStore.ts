/** The view store port over a private S3 bucket, with conditional puts (If-Match / If-None-Match). */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { PutCondition, Stored, ViewMaintenance, ViewMeta, ViewStore } from "../ports";

export class S3ViewStore implements ViewStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: () => string,
  ) {}

  async get<T>(key: string): Promise<Stored<T> | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket(), Key: key }));
      const body = (await object.Body?.transformToString("utf-8")) ?? "";
      return { doc: JSON.parse(body) as T, body, etag: object.ETag ?? "" };
    } catch (error) {
      if (error instanceof NoSuchKey || statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async meta(key: string): Promise<ViewMeta | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket(), Key: key }));
      return head.Metadata ?? {};
    } catch (error) {
      if (statusOf(error) === 404 || (error instanceof S3ServiceException && error.name === "NotFound")) return undefined;
      throw error;
    }
  }

  async put(key: string, body: string, condition: PutCondition, meta?: ViewMeta): Promise<"ok" | "conflict"> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket(),
          Key: key,
          Body: body,
          ContentType: "application/json",
          ...("etag" in condition ? { IfMatch: condition.etag } : { IfNoneMatch: "*" }),
          ...(meta ? { Metadata: meta } : {}),
        }),
      );
      return "ok";
    } catch (error) {
      // 412: the object changed since it was read; 409: a concurrent conditional write won.
      const status = statusOf(error);
      if (status === 412 || status === 409 || (status === 404 && "etag" in condition)) return "conflict";
      throw error;
    }
  }
}

/** Listing and deleting, for the rebuild tool's clean-up of old generations. */
export class S3ViewMaintenance implements ViewMaintenance {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: () => string,
  ) {}

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket(), Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000).map((Key) => ({ Key }));
      await this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket(), Delete: { Objects: batch, Quiet: true } }));
    }
  }
}

const statusOf = (error: unknown) => (error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined);
