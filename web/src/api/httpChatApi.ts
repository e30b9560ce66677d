/**
 * The chat API over HTTP (CONTRACT §3, §5, §12, §14): `Authorization: Bearer <IdToken>` on every call,
 * one refresh-and-retry on a 401, and errors turned into `ApiError`s.
 */
import { CognitoError } from "../auth/cognito";
import { ApiError, type ChatApi, type SearchAnswer, type WriteAnswer } from "./apiError";

export interface TokenSource {
  token(): Promise<string>;
  /** A new token now, after the API refused the current one. */
  refresh(): Promise<string>;
}

/**
 * A call to `{apiUrl}/<path>` with the person's token: one refresh-and-retry on a 401, the
 * JSON answer (undefined for none), and refusals as `ApiError`s. Shared by every client of the API.
 */
export function authedRequest(apiUrl: string, tokens: TokenSource): <T>(path: string, init: RequestInit) => Promise<T> {
  const base = apiUrl.replace(/\/+$/, "");

  async function request<T>(path: string, init: RequestInit, fresh = false): Promise<T> {
    const token = await (fresh ? tokens.refresh() : tokens.token()).catch((error: unknown) => {
      // No fresh token while Cognito is out of reach: as offline as a failed fetch.
      throw error instanceof CognitoError && error.type === "NetworkError" ? offline() : error;
    });
    let response: Response;
    try {
      response = await fetch(`${base}/${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
    } catch {
      throw offline();
    }
    if (response.status === 401 && !fresh) return request(path, init, true);
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) return body as T;
    const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? `The server answered ${response.status}.`,
      retryAfterMs(response.headers.get("retry-after")),
      error?.details,
    );
  }

  return <T,>(path: string, init: RequestInit) => request<T>(path, init);
}

export function httpChatApi(apiUrl: string, tokens: TokenSource): ChatApi {
  const request = authedRequest(apiUrl, tokens);
  return {
    view: <T>(path: string) => request<T>(`views/${path}`, { method: "GET" }),
    search: (query, cursor) => request<SearchAnswer>(`search?${new URLSearchParams({ q: query, ...(cursor ? { cursor } : {}) })}`, { method: "GET" }),
    post: (event, idempotencyKey) =>
      request<WriteAnswer>("events", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
        body: JSON.stringify(event),
      }),
    putReadMark: (channelId, seq) =>
      request<void>(`read-marks/${encodeURIComponent(channelId)}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ seq }),
      }),
  };
}

const offline = () => new ApiError(0, "network", "Could not reach the server. Check your connection.");

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
