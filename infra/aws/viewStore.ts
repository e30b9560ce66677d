import * as pulumi from "@pulumi/pulumi";
import { PrivateBucket } from "./privateBucket";

export interface ViewStoreArgs {
  /** Let `pulumi destroy` delete the bucket with its views. Default true: views are rebuilt from the store. */
  forceDestroy?: boolean;
}

/**
 * Where the projections keep the views: a private bucket, read by clients only through
 * the authorizing API (the views function), never directly. Views are derived data
 * (`npm run rebuild` writes them again from the event store), so the bucket is neither
 * versioned nor protected.
 */
export class ViewStore extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: ViewStoreArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("chat:s3:ViewStore", name, {}, opts);
    const bucket = new PrivateBucket(`${name}-views`, { forceDestroy: args.forceDestroy ?? true }, { parent: this });
    this.bucketName = bucket.bucketName;
    this.bucketArn = bucket.bucketArn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
