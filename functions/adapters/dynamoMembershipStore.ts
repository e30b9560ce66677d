/**
 * The memberships notify has seen, in the connections table: one item per user and
 * channel under `member#<userId>`, holding the latest verdict (`seq`, `member`). Kept, not
 * expired: a connect reads them beside the user's view, which may lag or miss a join.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { MembershipRegister } from "../domain/presence";
import type { MembershipStore } from "../ports";

const ofUserKey = (userId: string) => `member#${userId}`;

export class DynamoMembershipStore implements MembershipStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: () => string,
  ) {}

  async record(userId: string, channelId: string, register: MembershipRegister): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table(),
          Item: { pk: ofUserKey(userId), sk: channelId, seq: register.seq, member: register.member },
          ConditionExpression: "attribute_not_exists(pk) OR #seq < :seq",
          ExpressionAttributeNames: { "#seq": "seq" },
          ExpressionAttributeValues: { ":seq": register.seq },
        }),
      );
    } catch (error) {
      // A later verdict is there already: it stands.
      if ((error as { name?: string }).name !== "ConditionalCheckFailedException") throw error;
    }
  }

  async of(userId: string): Promise<Record<string, MembershipRegister>> {
    const registers: Record<string, MembershipRegister> = {};
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table(),
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": ofUserKey(userId) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) registers[item.sk as string] = { seq: item.seq as number, member: item.member as boolean };
      start = page.LastEvaluatedKey;
    } while (start);
    return registers;
  }
}
