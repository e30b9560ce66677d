/**
 * Helpers of the fault and security tests: a client that retries as the contract allows,
 * and looks into the sandbox's event store through the SDK.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, paginateQuery, paginateScan } from "@aws-sdk/lib-dynamodb";
import type { StoredEvent } from "../../functions/domain/events";
import type { Sandbox } from "../../infra/local";
import { resources } from "../../infra/local/context";
import { sandboxCredentials } from "../../infra/local/env";
import { type Answer, post, view } from "../support/chatApi";

export const tableClient = (sandbox: Pick<Sandbox, "urls">) =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: sandbox.urls.dynamodb, region: resources.region, credentials: sandboxCredentials, maxAttempts: 10 }));

type Db = DynamoDBDocumentClient;

/** Every item of the event table, as `pk|sk → item JSON`: a snapshot to compare before and after. */
export async function tableSnapshot(db: Db): Promise<Map<string, string>> {
  const items = new Map<string, string>();
  for await (const page of paginateScan({ client: db }, { TableName: resources.eventsTable, ConsistentRead: true })) {
    for (const plain of page.Items ?? []) {
      items.set(`${String(plain.pk)}|${String(plain.sk)}`, JSON.stringify(plain, Object.keys(plain).sort()));
    }
  }
  return items;
}

/** The events of one stream, in seq order. */
export async function streamEvents(db: Db, stream: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const page of paginateQuery(
    { client: db },
    {
      TableName: resources.eventsTable,
      KeyConditionExpression: "pk = :pk AND sk > :zero",
      ExpressionAttributeValues: { ":pk": stream, ":zero": 0 },
      ConsistentRead: true,
    },
  )) {
    for (const item of page.Items ?? []) events.push(JSON.parse(item.event as string) as StoredEvent);
  }
  return events;
}


export interface Tally {
  /** HTTP requests made, retries included. */
  requests: number;
  /** Answers by status. */
  statuses: Record<number, number>;
  /** Requests that needed more than one try. */
  retried: number;
}

export const newTally = (): Tally => ({ requests: 0, statuses: {}, retried: 0 });

const retryable = (answer: Answer) =>
  answer.status >= 500 || answer.status === 429 || (answer.status === 409 && answer.body?.error?.code === "request_in_progress");

/** Seconds a 429 or an in-progress 409 asks to wait (the contract's Retry-After), in ms. */
const retryAfterMs = (answer: Answer) => (answer.status < 500 ? Number(answer.headers.get("retry-after") ?? "1") * 1000 : 0);

/**
 * POST /events as a careful client does: one Idempotency-Key for the request, the same
 * body on every try; retries 5xx at once, and 429 / in-progress 409 after their Retry-After.
 * Every answer must be JSON. Gives the final answer.
 */
export async function postUntilDone(api: string, token: string, body: unknown, tally: Tally, maxTries = 60): Promise<Answer> {
  const key = randomUUID();
  for (let attempt = 1; attempt <= maxTries; attempt++) {
    tally.requests++;
    const answer = await post(api, token, body, { "idempotency-key": key });
    tally.statuses[answer.status] = (tally.statuses[answer.status] ?? 0) + 1;
    if (!retryable(answer)) {
      if (attempt > 1) tally.retried++;
      return answer;
    }
    const wait = retryAfterMs(answer);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  throw new Error(`POST /events still failing after ${maxTries} tries`);
}

/** GET a view, retrying what the front door's faults answer (5xx). */
export async function viewUntilDone(api: string, token: string, path: string, tally?: Tally, maxTries = 60): Promise<Answer> {
  for (let attempt = 1; attempt <= maxTries; attempt++) {
    if (tally) tally.requests++;
    const answer = await view(api, token, path);
    if (tally) tally.statuses[answer.status] = (tally.statuses[answer.status] ?? 0) + 1;
    if (answer.status < 500) return answer;
  }
  throw new Error(`GET ${path} still failing after ${maxTries} tries`);
}

/** Every message of a channel's views, pages in order, with the head. */
export async function channelMessages(api: string, token: string, channelId: string, tally?: Tally) {
  const head = await viewUntilDone(api, token, `channels/${channelId}`, tally);
  if (head.status !== 200) throw new Error(`head of ${channelId}: ${head.status} ${JSON.stringify(head.body)}`);
  const messages: { seq: number; messageId: string; userId: string; text: string; deleted?: boolean }[] = [];
  const pages: number[][] = [];
  for (let n = 0; n < head.body.pageCount; n++) {
    const page = await viewUntilDone(api, token, `channels/${channelId}/pages/${n}`, tally);
    if (page.status !== 200) throw new Error(`page ${n} of ${channelId}: ${page.status} ${JSON.stringify(page.body)}`);
    pages.push(page.body.messages.map((m: { seq: number }) => m.seq));
    messages.push(...page.body.messages);
  }
  return { head: head.body, messages, pages };
}
