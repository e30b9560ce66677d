import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PrivateBucket } from "./privateBucket";

export interface SiteArgs {
  /**
   * Where the app may connect (CSP `connect-src`) besides its own origin: the API, the
   * WebSocket API and Cognito. Wildcards on the region's execute-api domain keep the site
   * independent of the APIs, which need the site's origin for CORS.
   */
  connectSources: pulumi.Input<string>[];
  /** CloudFront price class. Default `PriceClass_100` (North America and Europe edges: the cheapest). */
  priceClass?: string;
  /** Let `pulumi destroy` delete the bucket with the uploaded app. Default true (it is rebuilt from `web/`). */
  forceDestroy?: boolean;
}

/** AWS's managed cache policy "CachingOptimized" (same id in every account). */
const cachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/**
 * The web app's hosting: a private bucket served only through CloudFront, which signs its
 * requests with an origin access control (the bucket policy admits this distribution and
 * nothing else). HTTPS only (HTTP redirects), security headers on every answer, and a
 * viewer-request function that serves `index.html` for the app's client-side routes
 * (any path whose last segment has no file extension).
 */
export class Site extends pulumi.ComponentResource {
  public readonly bucket: PrivateBucket;
  public readonly distribution: aws.cloudfront.Distribution;
  /** `https://<distribution>.cloudfront.net`: the site, and the one origin the API's CORS admits. */
  public readonly url: pulumi.Output<string>;
  public readonly distributionId: pulumi.Output<string>;

  constructor(name: string, args: SiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:cloudfront:Site", name, {}, opts);
    const parent = { parent: this };

    this.bucket = new PrivateBucket(`${name}-content`, { forceDestroy: args.forceDestroy ?? true }, parent);
    const oac = new aws.cloudfront.OriginAccessControl(
      `${name}-oac`,
      { description: "CloudFront signs its requests to the site bucket.", originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" },
      parent,
    );
    const spaRoutes = new aws.cloudfront.Function(
      `${name}-spa-routes`,
      { runtime: "cloudfront-js-2.0", comment: "Serves index.html for the app's routes.", code: spaRoutesCode, publish: true },
      parent,
    );
    const headers = new aws.cloudfront.ResponseHeadersPolicy(
      `${name}-security-headers`,
      { comment: "Security headers for the chat app.", securityHeadersConfig: securityHeaders(args.connectSources) },
      parent,
    );

    const originId = "site-bucket";
    this.distribution = new aws.cloudfront.Distribution(
      `${name}-cdn`,
      {
        enabled: true,
        comment: "Chat web app",
        defaultRootObject: "index.html",
        httpVersion: "http2and3",
        isIpv6Enabled: true,
        priceClass: args.priceClass ?? "PriceClass_100",
        origins: [{ originId, domainName: this.bucket.regionalDomainName, originAccessControlId: oac.id }],
        defaultCacheBehavior: {
          targetOriginId: originId,
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD"],
          cachedMethods: ["GET", "HEAD"],
          compress: true,
          cachePolicyId: cachingOptimized,
          responseHeadersPolicyId: headers.id,
          functionAssociations: [{ eventType: "viewer-request", functionArn: spaRoutes.arn }],
        },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: { cloudfrontDefaultCertificate: true },
      },
      parent,
    );
    new aws.s3.BucketPolicy(
      `${name}-content-policy`,
      { bucket: this.bucket.bucketName, policy: pulumi.jsonStringify(readByDistribution(this.bucket.bucketArn, this.distribution.arn)) },
      { parent: this, dependsOn: [this.bucket.publicAccessBlock] },
    );

    this.url = pulumi.interpolate`https://${this.distribution.domainName}`;
    this.distributionId = this.distribution.id;
    this.registerOutputs({ url: this.url, distributionId: this.distributionId, bucketName: this.bucket.bucketName });
  }
}

const spaRoutesCode = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf("/") + 1);
  if (last.indexOf(".") === -1) request.uri = "/index.html";
  return request;
}
`;

function securityHeaders(connectSources: pulumi.Input<string>[]): aws.types.input.cloudfront.ResponseHeadersPolicySecurityHeadersConfig {
  const csp = pulumi
    .all(connectSources)
    .apply((sources) =>
      [
        "default-src 'self'",
        `connect-src 'self' ${sources.join(" ")}`,
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; "),
    );
  return {
    contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
    strictTransportSecurity: { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: false, override: true },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: "DENY", override: true },
    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
    xssProtection: { protection: true, modeBlock: true, override: true },
  };
}

/** Origin access control: CloudFront's service principal, for this distribution only. */
function readByDistribution(bucketArn: pulumi.Output<string>, distributionArn: pulumi.Output<string>) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadByOwnDistribution",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: pulumi.interpolate`${bucketArn}/*`,
        Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
      },
    ],
  };
}
