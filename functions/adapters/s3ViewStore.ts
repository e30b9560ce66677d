/** The view store port over a private S3 bucket, with conditional puts (If-Match / If-None-Match). */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import type { PutCondition, Stored, ViewStore } from "../ports";

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

  async put(key: string, body: string, condition: PutCondition): Promise<"ok" | "conflict"> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket(),
          Key: key,
          Body: body,
          ContentType: "application/json",
          ...("etag" in condition ? { IfMatch: condition.etag } : { IfNoneMatch: "*" }),
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

const statusOf = (error: unknown) => (error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined);
