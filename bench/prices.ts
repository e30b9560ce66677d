/**
 * AWS list prices used to turn the counters into dollars: us-east-1, on-demand, no free
 * tier, no volume tiers (the first tier of each). Dated; update `asOf` with the numbers.
 *
 * Checked on 2026-11-27 with the stored-web search available to this machine (it has no
 * other network): the official pages below are the sources; their stored copies did not
 * carry the figures (the API Gateway page's copy had only the free tier), so each figure
 * was confirmed on the third-party pages listed in `checkedOn`, which quote the same
 * us-east-1 list prices. Re-check on the official pages before relying on a figure.
 */
export const prices = {
  asOf: "2026-11-27",
  region: "us-east-1",
  s3: {
    /** S3 Standard: PUT, COPY, POST, LIST requests. */
    tier1PerThousand: 0.005,
    /** S3 Standard: GET, SELECT and all other requests (HEAD too). DELETE is free. */
    tier2PerThousand: 0.0004,
    source: "https://aws.amazon.com/s3/pricing/",
    checkedOn: ["https://c3x.dev/blog/s3-request-fees-explained", "https://awsi.click/en/articles/s3-request-pricing-get-put-difference/"],
  },
  dynamodb: {
    /** On-demand, Standard table class, after the November 2024 price cut. */
    perMillionWriteUnits: 0.625,
    perMillionReadUnits: 0.125,
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    checkedOn: ["https://airbyte.com/data-engineering-resources/dynamodb-pricing"],
  },
  eventbridge: {
    /** Custom events put on a bus, per 64 KB chunk; delivery to same-account targets is free. */
    perMillionEvents: 1.0,
    source: "https://aws.amazon.com/eventbridge/pricing/",
    checkedOn: ["https://cloudburn.io/blog/amazon-eventbridge-pricing", "https://blog.awsfundamentals.com/aws-eventbridge-pricing-guide"],
  },
  lambda: {
    /** The functions run on arm64 (infra/aws/lambdaFunction.ts); x86_64 is $0.0000166667. */
    architecture: "arm64",
    perGbSecond: 0.0000133334,
    perMillionRequests: 0.2,
    source: "https://aws.amazon.com/lambda/pricing/",
    checkedOn: ["https://cloudchipr.com/blog/aws-lambda-pricing"],
  },
  apiGateway: {
    /** HTTP APIs, first 300 million requests a month, per 512 KB request. */
    httpPerMillion: 1.0,
    source: "https://aws.amazon.com/api-gateway/pricing/",
    checkedOn: ["https://www.apigatewaycost.com/aws", "https://awsforengineers.com/blog/aws-api-gateway-pricing-explained"],
  },
} as const;
