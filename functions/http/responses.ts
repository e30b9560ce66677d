/** JSON answers in the contract's shape, for API Gateway's proxy integration. */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { logger } from "./logger";

export interface ApiError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  retryAfterSeconds?: number;
}

const jsonHeaders = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: jsonHeaders,
  body: typeof body === "string" ? body : JSON.stringify(body),
});

export function errorResponse(error: ApiError): APIGatewayProxyStructuredResultV2 {
  const { status, code, message, details, retryAfterSeconds } = error;
  const response = json(status, { error: { code, message, ...(details === undefined ? {} : { details }) } });
  if (retryAfterSeconds !== undefined) response.headers = { ...response.headers, "retry-after": String(retryAfterSeconds) };
  return response;
}

export const unauthorized = () => errorResponse({ status: 401, code: "unauthorized", message: "Sign in: no valid token came with the request." });

/** Logs what went wrong for operators and tells the caller only that it did. */
export function internalError(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof Error) logger.error("Request failed", error);
  else logger.error("Request failed", { error: String(error) });
  return errorResponse({ status: 500, code: "internal_error", message: "Something went wrong on our side; try again." });
}
