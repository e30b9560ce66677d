/**
 * A refused or failed API call: the contract's `{"error": {code, message}}` with its status,
 * or status 0 when the server could not be reached.
 */
import { limits } from "../../../functions/domain/limits";
import { asSentence } from "../sentence";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From `Retry-After` on a 429. */
    readonly retryAfterMs?: number,
    /** The contract's `details` (for `invalid_field`: `[{field, message}]`). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /**
   * Worth trying again with the same Idempotency-Key: the server may not have seen it, asked
   * us to wait, or is still busy with the same request (a retry of one that timed out).
   */
  get retryable(): boolean {
    const { status } = this;
    return status === 0 || status === 408 || status === 429 || status >= 500 || (status === 409 && this.code === "request_in_progress");
  }
}

/**
 * What became of a write that was not answered with `202`: `offline` (the server could not be
 * reached) and `busy` (408, 429, 5xx, the same request still in progress) are sent again
 * until answered; only what the server `refused` (any other 4xx, or no API answer at all)
 * is for the person to retry or discard.
 */
export type FailureKind = "offline" | "busy" | "refused";

export function failureKind(error: unknown): FailureKind {
  if (!(error instanceof ApiError)) return "refused";
  if (error.status === 0) return "offline";
  return error.retryable ? "busy" : "refused";
}

/** A refusal in plain words, as one sentence: never the API's internal names. */
export function describeWriteError(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  const text = textProblem(error);
  if (text === "too_long") return `Message is too long: at most ${limits.textCodePoints.toLocaleString("en-US")} characters.`;
  if (text === "empty") return "Message is empty.";
  return asSentence(error.message) || `The server answered ${error.status}.`;
}

function textProblem(error: ApiError): "too_long" | "empty" | undefined {
  if (error.code !== "invalid_field" || !Array.isArray(error.details)) return undefined;
  const problem = (error.details as { field?: unknown; message?: unknown }[]).find((d) => d.field === "text");
  const message = typeof problem?.message === "string" ? problem.message : "";
  return /at most/.test(message) ? "too_long" : /empty/.test(message) ? "empty" : undefined;
}

export const isApiError = (error: unknown, status?: number): error is ApiError =>
  error instanceof ApiError && (status === undefined || error.status === status);

/** What `POST /events` answers with `202`. */
export interface WriteAnswer {
  eventId: string;
  stream: string;
  seq: number;
  timestamp: string;
}

/** One message found by `GET search` (CONTRACT §12). */
export interface SearchResult {
  channelId: string;
  messageId: string;
  /** A reply's thread (its root's messageId). */
  threadId?: string;
  seq: number;
  userId: string;
  text: string;
  sentAt: string;
  editedAt?: string;
}

/** What `GET search` answers: newest first; `cursor` when more remain. */
export interface SearchAnswer {
  query: string;
  results: SearchResult[];
  cursor?: string;
}

/** The API as the client state uses it (CONTRACT §3, §5, §12 and §14). */
export interface ChatApi {
  view<T>(path: string): Promise<T>;
  /** `GET search?q=…&cursor=…` (CONTRACT §12); a bad filter is a 400 whose message says which. */
  search(query: string, cursor?: string): Promise<SearchAnswer>;
  post(event: { type: string } & Record<string, unknown>, idempotencyKey: string): Promise<WriteAnswer>;
  /** `PUT read-marks/<channelId>` (CONTRACT §14): the person has read the channel up to `seq`. */
  putReadMark(channelId: string, seq: number): Promise<void>;
}
