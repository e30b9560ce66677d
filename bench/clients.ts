/**
 * The benchmark's users: they sign up on the sandbox's Cognito and post over HTTP as the
 * web app does, retrying with the same Idempotency-Key when the API says to.
 */
import { randomUUID } from "node:crypto";
import { signUp, type Person } from "../test/support/chatApi";
import type { Sandbox } from "../infra/local";

export interface Accepted {
  eventId: string;
  stream: string;
  seq: number;
  timestamp: string;
}

export interface Posted {
  accepted: Accepted;
  /** Wall time of the whole exchange, retries included. */
  ms: number;
  retries: number;
}

export class ApiError extends Error {}

/** Signs `count` people up, a few at a time (cognito-local keeps one JSON file per pool). */
export async function signUpMany(sandbox: Sandbox, prefix: string, count: number, concurrency = 6): Promise<Person[]> {
  const people: Person[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      people[i] = await signUp(sandbox.urls.cognito, sandbox.clientId, `${prefix}${i}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return people;
}

/** Retryable answers: contention (503), the same request still running (409 request_in_progress), throttling (429). */
const retryable = (status: number, code: unknown) => status === 503 || status === 429 || status === 502 || (status === 409 && code === "request_in_progress");

export async function postEvent(api: string, person: Person, body: Record<string, unknown>, maxRetries = 30): Promise<Posted> {
  const key = randomUUID();
  const started = performance.now();
  for (let retries = 0; ; retries++) {
    const response = await fetch(`${api}/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${person.token}`, "idempotency-key": key },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const answer = text ? (JSON.parse(text) as Record<string, any>) : {};
    if (response.status === 202) return { accepted: answer as Accepted, ms: performance.now() - started, retries };
    if (!retryable(response.status, answer.error?.code) || retries >= maxRetries) {
      throw new ApiError(`POST ${String(body.type)} answered ${response.status}: ${text.slice(0, 200)}`);
    }
    // Back off as a real client would: the same request still running holds its claim for
    // the store's lease, so hammering it only adds load.
    const after = Number(response.headers.get("retry-after") ?? 0);
    await sleep(Math.min(2000, after > 0 ? after * 250 : 20 * 2 ** Math.min(retries, 7)) * (0.5 + Math.random()));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const words = "the a team chat channel message deploy review lunch coffee release bug fix ship test merge plan sprint demo idea question answer thanks".split(" ");

/** A message text of about `length` characters, different each time. */
export function messageText(i: number, length = 90): string {
  let text = `#${i}`;
  let w = i * 7;
  while (text.length < length) text += ` ${words[w++ % words.length]}`;
  return text.slice(0, length);
}

export async function createChannel(api: string, owner: Person, name: string, members: Person[] = []): Promise<string> {
  const created = await postEvent(api, owner, { type: "channel_created", name, topic: `bench ${name}` });
  const channelId = created.accepted.stream.replace(/^channel-/, "");
  await inBatches(members.filter((m) => m.userId !== owner.userId), 10, (m) => postEvent(api, m, { type: "user_joined_channel", channelId }));
  return channelId;
}

/** Random think time, uniform in [0, 2 × mean]. */
export const thinkMs = (meanMs: number) => Math.random() * 2 * meanMs;

export async function inBatches<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
