/**
 * The view store over S3 (functions/adapters/s3ViewStore.ts) at the SDK's edge: the exact
 * conditional PutObject it sends (principle 4: `If-Match` on the ETag read, `If-None-Match: *`
 * for a new document), which S3 errors mean "someone else wrote first", and what a read of
 * a missing object gives. The sandbox's s3rver ignores these headers (DESIGN.md), so only
 * this test and the sandbox's own enforcement check them locally.
 */
import { GetObjectCommand, type GetObjectCommandOutput, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { S3ViewStore } from "../../functions/adapters/s3ViewStore";

const bucket = "chat-views-bucket";
// The instance, not the class: mocking S3Client itself would reach every other test's clients in this process.
const client = new S3Client({ region: "us-east-1" });
const s3 = mockClient(client);
const store = () => new S3ViewStore(client, () => bucket);

const s3Error = (name: string, status: number) => new S3ServiceException({ name, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status }, message: name });
const bodyOf = (text: string) => ({ transformToString: async (encoding?: string) => (encoding === "utf-8" ? text : Promise.reject(new Error(`read as ${encoding}`))) }) as unknown as GetObjectCommandOutput["Body"];

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, got an answer");
}

describe("S3 view store", () => {
  beforeEach(() => s3.reset());
  after(() => s3.restore());

  describe("put", () => {
    it("writes over a document only if it still has the ETag read: IfMatch, and no IfNoneMatch", async () => {
      s3.on(PutObjectCommand).resolves({ ETag: '"new"' });
      expect(await store().put("channel/g0/channels/c/head.json", '{"lastSeq":2}', { etag: '"abc123"' })).to.equal("ok");
      const calls = s3.commandCalls(PutObjectCommand);
      expect(calls).to.have.length(1);
      expect(calls[0]!.args[0].input).to.deep.equal({
        Bucket: bucket,
        Key: "channel/g0/channels/c/head.json",
        Body: '{"lastSeq":2}',
        ContentType: "application/json",
        IfMatch: '"abc123"',
      });
    });

    it("writes a new document only if there is none yet: IfNoneMatch *, and no IfMatch", async () => {
      s3.on(PutObjectCommand).resolves({});
      expect(await store().put("users/u1.json", "{}", { absent: true })).to.equal("ok");
      expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).to.deep.equal([
        { Bucket: bucket, Key: "users/u1.json", Body: "{}", ContentType: "application/json", IfNoneMatch: "*" },
      ]);
    });

    for (const [status, name, why] of [
      [412, "PreconditionFailed", "the object changed since it was read, or appeared"],
      [409, "ConditionalRequestConflict", "a concurrent conditional write won"],
    ] as const) {
      it(`answers "conflict" to ${status} ${name} (${why}), with either condition`, async () => {
        s3.on(PutObjectCommand).rejects(s3Error(name, status));
        expect(await store().put("k", "{}", { etag: '"e"' })).to.equal("conflict");
        expect(await store().put("k", "{}", { absent: true })).to.equal("conflict");
      });
    }

    it('answers "conflict" to a 404 on a put with an ETag (the object read was deleted since), and rethrows it on a put of a new document', async () => {
      s3.on(PutObjectCommand).rejects(s3Error("NoSuchKey", 404));
      expect(await store().put("k", "{}", { etag: '"e"' })).to.equal("conflict");
      const error = await rejection(store().put("k", "{}", { absent: true }));
      expect(error).to.be.instanceOf(S3ServiceException).and.to.have.property("name", "NoSuchKey");
    });

    it("rethrows every other error: access denied, throttling, server errors, the network", async () => {
      for (const thrown of [s3Error("AccessDenied", 403), s3Error("SlowDown", 503), s3Error("InternalError", 500), new Error("socket hang up")]) {
        s3.reset();
        s3.on(PutObjectCommand).rejects(thrown);
        expect(await rejection(store().put("k", "{}", { etag: '"e"' })), thrown.name).to.equal(thrown);
        expect(await rejection(store().put("k", "{}", { absent: true })), thrown.name).to.equal(thrown);
      }
    });
  });

  describe("get", () => {
    it("returns the parsed document, the body as stored and the ETag, reading the bucket's key", async () => {
      const body = '{"channelId":"c","lastSeq":7}';
      s3.on(GetObjectCommand).resolves({ Body: bodyOf(body), ETag: '"etag-7"' });
      expect(await store().get("channel/g0/channels/c/head.json")).to.deep.equal({ doc: { channelId: "c", lastSeq: 7 }, body, etag: '"etag-7"' });
      expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).to.deep.equal([{ Bucket: bucket, Key: "channel/g0/channels/c/head.json" }]);
    });

    it("answers undefined for a missing object: NoSuchKey, or any 404", async () => {
      s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: "The specified key does not exist.", $metadata: {} }));
      expect(await store().get("missing.json")).to.equal(undefined);
      s3.reset();
      s3.on(GetObjectCommand).rejects(s3Error("NotFound", 404));
      expect(await store().get("missing.json")).to.equal(undefined);
    });

    it("rethrows every other error", async () => {
      for (const thrown of [s3Error("AccessDenied", 403), s3Error("InternalError", 500), new Error("socket hang up")]) {
        s3.reset();
        s3.on(GetObjectCommand).rejects(thrown);
        expect(await rejection(store().get("k")), thrown.name).to.equal(thrown);
      }
    });
  });
});
