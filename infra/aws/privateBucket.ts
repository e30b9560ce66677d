import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PrivateBucketArgs {
  /** Let `pulumi destroy` delete the bucket with its objects. Default false (a non-empty bucket stays). */
  forceDestroy?: boolean;
  /** Refuse `pulumi destroy` (`protect`). Default false. */
  protect?: boolean;
}

/**
 * An S3 bucket nobody outside the account can read: every kind of public access blocked,
 * object ownership enforced by the bucket owner (so ACLs are disabled), and objects
 * encrypted at rest (SSE-S3, with bucket keys). Access is granted only by IAM policies of
 * the functions that use it, or by a bucket policy naming one service principal.
 */
export class PrivateBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly regionalDomainName: pulumi.Output<string>;
  /** Resolves once public access is blocked: depend on it before writing a bucket policy. */
  public readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;

  constructor(name: string, args: PrivateBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("chat:s3:PrivateBucket", name, {}, opts);
    const parent = { parent: this };

    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { forceDestroy: args.forceDestroy ?? false },
      { parent: this, protect: args.protect ?? false },
    );
    this.publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: this.bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
      parent,
    );

    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.regionalDomainName = this.bucket.bucketRegionalDomainName;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
