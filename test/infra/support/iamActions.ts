/**
 * The IAM actions an AWS SDK v3 command needs, and on what: the mapping from what a
 * handler calls to what its role must allow. A command missing here fails the test that
 * meets it, so a new kind of call is never silently un-checked.
 *
 * Targets are kinds of resource, not ARNs: `table` (a DynamoDB table), `index` (one of
 * its indexes), `objects` and `bucket` (an S3 bucket's keys, and the bucket itself),
 * `bus`, `connections` (a WebSocket API's @connections).
 */
import type { SdkCall } from "./handlerCalls";

export type Target = "table" | "index" | "objects" | "bucket" | "bus" | "connections";
type Grant = [action: string, target: Target];

const dynamo = (action: string) => (call: SdkCall): Grant[] => [[`dynamodb:${action}`, call.onIndex ? "index" : "table"]];
const fixed = (...grants: Grant[]) => (): Grant[] => grants;

const byCommand: Record<string, (call: SdkCall) => Grant[]> = {
  // lib-dynamodb's document commands and client-dynamodb's own: same API operations.
  "@aws-sdk/lib-dynamodb:GetCommand": dynamo("GetItem"),
  "@aws-sdk/lib-dynamodb:PutCommand": dynamo("PutItem"),
  "@aws-sdk/lib-dynamodb:UpdateCommand": dynamo("UpdateItem"),
  "@aws-sdk/lib-dynamodb:DeleteCommand": dynamo("DeleteItem"),
  "@aws-sdk/lib-dynamodb:QueryCommand": dynamo("Query"),
  "@aws-sdk/lib-dynamodb:ScanCommand": dynamo("Scan"),
  "@aws-sdk/lib-dynamodb:BatchGetCommand": dynamo("BatchGetItem"),
  "@aws-sdk/lib-dynamodb:BatchWriteCommand": dynamo("BatchWriteItem"),
  "@aws-sdk/client-dynamodb:GetItemCommand": dynamo("GetItem"),
  "@aws-sdk/client-dynamodb:PutItemCommand": dynamo("PutItem"),
  "@aws-sdk/client-dynamodb:UpdateItemCommand": dynamo("UpdateItem"),
  "@aws-sdk/client-dynamodb:DeleteItemCommand": dynamo("DeleteItem"),
  "@aws-sdk/client-dynamodb:QueryCommand": dynamo("Query"),
  "@aws-sdk/client-dynamodb:ScanCommand": dynamo("Scan"),
  "@aws-sdk/client-dynamodb:BatchGetItemCommand": dynamo("BatchGetItem"),
  "@aws-sdk/client-dynamodb:BatchWriteItemCommand": dynamo("BatchWriteItem"),
  // A read of a missing key answers 404 only with ListBucket; without it S3 says 403.
  "@aws-sdk/client-s3:GetObjectCommand": fixed(["s3:GetObject", "objects"], ["s3:ListBucket", "bucket"]),
  "@aws-sdk/client-s3:HeadObjectCommand": fixed(["s3:GetObject", "objects"], ["s3:ListBucket", "bucket"]),
  "@aws-sdk/client-s3:PutObjectCommand": fixed(["s3:PutObject", "objects"]),
  "@aws-sdk/client-s3:DeleteObjectCommand": fixed(["s3:DeleteObject", "objects"]),
  "@aws-sdk/client-s3:CopyObjectCommand": fixed(["s3:GetObject", "objects"], ["s3:PutObject", "objects"]),
  "@aws-sdk/client-s3:ListObjectsV2Command": fixed(["s3:ListBucket", "bucket"]),
  "@aws-sdk/client-eventbridge:PutEventsCommand": fixed(["events:PutEvents", "bus"]),
  "@aws-sdk/client-apigatewaymanagementapi:PostToConnectionCommand": fixed(["execute-api:ManageConnections", "connections"]),
  "@aws-sdk/client-apigatewaymanagementapi:DeleteConnectionCommand": fixed(["execute-api:ManageConnections", "connections"]),
  "@aws-sdk/client-apigatewaymanagementapi:GetConnectionCommand": fixed(["execute-api:ManageConnections", "connections"]),
};

/** `action@target` strings a handler's calls need, e.g. `dynamodb:Query@index`. */
export function grantsFor(calls: readonly SdkCall[]): Set<string> {
  const grants = new Set<string>();
  for (const call of calls) {
    const map = byCommand[`${call.pkg}:${call.command}`];
    if (!map) throw new Error(`${call.at} constructs ${call.pkg} ${call.command}: add its IAM actions to test/infra/support/iamActions.ts`);
    for (const [action, target] of map(call)) grants.add(`${action}@${target}`);
  }
  return grants;
}

/**
 * What Lambda needs of a function's role to poll a DynamoDB stream for it (an event source
 * mapping; AWS Lambda developer guide, "Execution role permissions" for DynamoDB Streams):
 * granted on the stream the mapping names. The handler never calls these itself.
 */
export const dynamoStreamSourceActions: readonly string[] = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"];

/** Actions AWS only grants on `Resource: "*"`: none of this system's calls need one today. */
export const actionsRequiringStar: readonly string[] = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData"];

/** The setting (environment variable) naming the resource each kind of target lives in. */
export const settingFor: Record<Target, string[]> = {
  table: ["EVENTS_TABLE", "CONNECTIONS_TABLE"],
  index: ["EVENTS_TABLE"],
  objects: ["VIEWS_BUCKET"],
  bucket: ["VIEWS_BUCKET"],
  bus: ["EVENT_BUS_NAME"],
  connections: ["WS_ENDPOINT"],
};
