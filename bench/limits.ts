/**
 * AWS's per-key limits (fixed: no request raises them) and the default account quotas
 * (raisable through Service Quotas) that bound what the design carries, in
 * `prices.region`. Dated like prices.ts; checked with the stored-docs search available to
 * this machine on 2026-11-28: re-check on the pages below before relying on a figure.
 */
export const keyLimits = {
  asOf: "2026-11-28",
  /** Write units a second that one partition key takes, a table's or a global secondary index's; a throttled GSI throttles the table's writes. */
  dynamoWriteUnitsPerKey: 1000,
  /** PUT/COPY/POST/DELETE a second per partitioned S3 prefix: one key can take no more. */
  s3PutsPerPrefix: 3500,
  /**
   * The least time a conditional PUT holds its key on AWS (one writer at a time): AWS
   * gives small requests' median latency as "in the tens of milliseconds"; we assume the
   * low end. A slower PUT measured here counts instead.
   */
  s3PutMsOnAws: 20,
  sources: [
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html",
    "https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/timeouts-and-retries-for-latency-sensitive-applications.html",
  ],
} as const;

export interface Quota {
  name: string;
  /** The default in prices.region. */
  default: number;
  unit: string;
  source: string;
}

export const defaultQuotas = {
  asOf: "2026-11-28",
  /** Per account and region; us-east-1, us-west-2 and eu-west-1 have 10,000, other regions 2,400 or less. */
  putEvents: { name: "EventBridge PutEvents", default: 10_000, unit: "requests/s", source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html" },
  /** Rule targets invoked a second (an event matched by a rule, sent to a target); us-east-1's default. */
  invocations: { name: "EventBridge invocations", default: 18_750, unit: "target invocations/s", source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html" },
  lambdaConcurrency: { name: "Lambda concurrent executions", default: 1000, unit: "concurrent executions", source: "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html" },
  httpApi: { name: "API Gateway HTTP API requests", default: 10_000, unit: "requests/s", source: "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html" },
  /** On-demand: each table's, and each of its global secondary indexes', write request units a second. */
  dynamoTableWrites: { name: "DynamoDB on-demand table write throughput", default: 40_000, unit: "write units/s per table or index", source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode-max-throughput.html" },
} as const satisfies Record<string, Quota | string>;
