import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { contentTypeOf } from "../contentTypes";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** `GET /config.json` (CONTRACT §1), generated from the stack's outputs. */
export interface SiteConfig {
  apiUrl: pulumi.Input<string>;
  wsUrl?: pulumi.Input<string>;
  auth: { region: pulumi.Input<string>; userPoolId: pulumi.Input<string>; clientId: pulumi.Input<string> };
}

export interface SiteContentArgs {
  /** The Site's bucket. */
  bucketName: pulumi.Input<string>;
  /** The built web app (`web/dist`): every file under it is uploaded under the same key. */
  dir: string;
  /** Written as `config.json` at the root; on AWS it has no `auth.endpoint` (Cognito itself). */
  config: SiteConfig;
}

/**
 * The web app's files and its `config.json`, uploaded into the site bucket. Kept apart
 * from Site because `config.json` names the API, whose CORS names the site: the Site
 * (and its URL) comes first, the APIs next, this last.
 *
 * Caching: `index.html` and `config.json` are revalidated on every load (`no-cache`) so a
 * deploy shows at once; Vite's content-hashed `assets/` are immutable.
 */
export class SiteContent extends pulumi.ComponentResource {
  public readonly files: string[];

  constructor(name: string, args: SiteContentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:s3:SiteContent", name, {}, opts);

    this.files = existsSync(args.dir) ? filesUnder(args.dir) : [];
    if (this.files.length === 0) {
      pulumi.log.warn(`${args.dir} holds no web build: only config.json is uploaded. Build the web app before \`pulumi up\`.`, this);
    }
    for (const file of this.files.filter((f) => f !== "config.json")) {
      new aws.s3.BucketObjectv2(
        `${name}-${file}`,
        {
          bucket: args.bucketName,
          key: file,
          source: new pulumi.asset.FileAsset(path.join(args.dir, file)),
          contentType: contentTypeOf(file),
          cacheControl: cacheControlOf(file),
        },
        { parent: this },
      );
    }
    new aws.s3.BucketObjectv2(
      `${name}-config.json`,
      {
        bucket: args.bucketName,
        key: "config.json",
        content: pulumi.jsonStringify(args.config),
        contentType: "application/json",
        cacheControl: "no-cache",
      },
      { parent: this },
    );

    this.registerOutputs({ files: this.files.length });
  }
}

/** Paths relative to `dir`, with `/` separators (the S3 keys). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

function cacheControlOf(file: string): string {
  if (file.startsWith("assets/")) return "public, max-age=31536000, immutable";
  if (file.endsWith(".html")) return "no-cache";
  return "public, max-age=300";
}
