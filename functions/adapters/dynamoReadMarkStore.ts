/**
 * Read marks over the event table: one item per user (`pk = readmarks#<userId>`, `sk = 0`)
 * whose `marks` map holds a seq per channel. A mark moves forward only, by a conditional
 * update, so two browsers marking at once never move it back.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ReadMarkStore } from "../ports";
import { eventTable } from "./eventTable";

export const readMarksKey = (userId: string) => ({ pk: `${eventTable.readMarksPrefix}${userId}`, sk: 0 });

export class DynamoReadMarkStore implements ReadMarkStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: () => string,
  ) {}

  async of(userId: string): Promise<Record<string, number>> {
    const found = await this.db.send(new GetCommand({ TableName: this.table(), Key: readMarksKey(userId), ConsistentRead: true }));
    return (found.Item?.marks as Record<string, number> | undefined) ?? {};
  }

  async advance(userId: string, channelId: string, seq: number): Promise<void> {
    if (await this.moveForward(userId, channelId, seq)) return;
    // No item yet, or the mark is at `seq` or further already. The first mark creates the item;
    // when another request created it in between, the mark is moved within it after all.
    if (await this.create(userId, channelId, seq)) return;
    await this.moveForward(userId, channelId, seq);
  }

  private moveForward(userId: string, channelId: string, seq: number): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table(),
        Key: readMarksKey(userId),
        UpdateExpression: "SET marks.#c = :seq",
        ConditionExpression: "attribute_exists(marks) AND (attribute_not_exists(marks.#c) OR marks.#c < :seq)",
        ExpressionAttributeNames: { "#c": channelId },
        ExpressionAttributeValues: { ":seq": seq },
      }),
    );
  }

  private create(userId: string, channelId: string, seq: number): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.table(),
        Item: { ...readMarksKey(userId), marks: { [channelId]: seq } },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  private async conditional(command: UpdateCommand | PutCommand): Promise<boolean> {
    try {
      await this.db.send(command as UpdateCommand);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
