/** The claim port over the event table: one item per claimed key (`pk = claim#…`, `sk = 0`). */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Accepted, Claim, ClaimStore } from "../ports";
import { eventTable } from "./eventTable";

const pk = (key: string) => `${eventTable.claimPrefix}${key}`;

export class DynamoClaimStore implements ClaimStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: () => string,
  ) {}

  async get(key: string): Promise<Claim | undefined> {
    const found = await this.db.send(new GetCommand({ TableName: this.table(), Key: { pk: pk(key), sk: 0 }, ConsistentRead: true }));
    if (!found.Item) return undefined;
    const { pk: _pk, sk: _sk, ...claim } = found.Item;
    return claim as Claim;
  }

  create(claim: Claim): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.table(),
        Item: { pk: pk(claim.key), sk: 0, ...claim },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  takeOver(previous: Claim, next: Claim): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.table(),
        Item: { pk: pk(next.key), sk: 0, ...next },
        ConditionExpression: "eventId = :old AND leaseUntil = :lease AND attribute_not_exists(#r)",
        ExpressionAttributeNames: { "#r": "result" },
        ExpressionAttributeValues: { ":old": previous.eventId, ":lease": previous.leaseUntil },
      }),
    );
  }

  reclaim(previous: Claim, next: Claim): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.table(),
        Item: { pk: pk(next.key), sk: 0, ...next },
        ConditionExpression: "eventId = :old",
        ExpressionAttributeValues: { ":old": previous.eventId },
      }),
    );
  }

  async complete(key: string, eventId: string, result: Accepted, position?: number): Promise<void> {
    await this.conditional(
      new UpdateCommand({
        TableName: this.table(),
        Key: { pk: pk(key), sk: 0 },
        UpdateExpression: position === undefined ? "SET #r = :r" : "SET #r = :r, #p = :p",
        ConditionExpression: "eventId = :id",
        ExpressionAttributeNames: { "#r": "result", ...(position === undefined ? {} : { "#p": "position" }) },
        ExpressionAttributeValues: { ":r": result, ":id": eventId, ...(position === undefined ? {} : { ":p": position }) },
      }),
    );
  }

  async release(key: string, eventId: string): Promise<void> {
    await this.conditional(
      new DeleteCommand({
        TableName: this.table(),
        Key: { pk: pk(key), sk: 0 },
        ConditionExpression: "eventId = :id AND attribute_not_exists(#r)",
        ExpressionAttributeNames: { "#r": "result" },
        ExpressionAttributeValues: { ":id": eventId },
      }),
    );
  }

  private async conditional(command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.db.send(command as PutCommand);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
