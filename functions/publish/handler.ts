/**
 * Fed by the event table's stream (DynamoDB Streams, filtered to inserted events: see
 * `eventTable.streamFilter`): sends each event to the bus. A batch that the bus did not
 * take whole answers with the first record it must retry from (ReportBatchItemFailures),
 * so nothing is skipped.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { awsAdapters } from "../adapters/wiring";
import type { StoredEvent } from "../domain/events";
import { logger } from "../http/logger";
import { type Inserted, publishInserted } from "../usecases/publishInserted";

export async function handler(input: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const records = input.Records.flatMap(insertedEvent);
  const failed = await publishInserted(records, awsAdapters().bus);
  if (failed === undefined) return { batchItemFailures: [] };
  logger.warn("the bus refused an event; the stream will retry from it", { failedAt: failed, batch: records.length });
  return { batchItemFailures: [{ itemIdentifier: failed }] };
}

/** The stored event an INSERT record carries (its `event` attribute), or nothing for any other record. */
function insertedEvent(record: DynamoDBRecord): Inserted<string>[] {
  const json = record.dynamodb?.NewImage?.event?.S;
  const id = record.dynamodb?.SequenceNumber;
  if (record.eventName !== "INSERT" || json === undefined || id === undefined) return [];
  return [{ id, event: JSON.parse(json) as StoredEvent }];
}
