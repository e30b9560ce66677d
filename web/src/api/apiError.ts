/**
 * A refused or failed API call: the contract's `{"error": {code, message}}` with its status,
 * or status 0 when the server could not be reached.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From `Retry-After` on a 429. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /**
   * Worth trying again with the same Idempotency-Key: the server may not have seen it, asked
   * us to wait, or is still busy with the same request (a retry of one that timed out).
   */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500 || (this.status === 409 && this.code === "request_in_progress");
  }
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

/** The API as the client state uses it (CONTRACT §3, §5 and §14). */
export interface ChatApi {
  view<T>(path: string): Promise<T>;
  post(event: { type: string } & Record<string, unknown>, idempotencyKey: string): Promise<WriteAnswer>;
  /** `PUT read-marks/<channelId>` (CONTRACT §14): the person has read the channel up to `seq`. */
  putReadMark(channelId: string, seq: number): Promise<void>;
}
