/**
 * The replay operations' requests as they arrive over the AWS JSON 1.1 protocol (dates as
 * epoch seconds), checked the way EventBridge checks them: a missing or malformed
 * parameter is a ValidationException. Shapes follow @aws-sdk/client-eventbridge.
 */
import type { ReplayDestination, ReplayState } from "@aws-sdk/client-eventbridge";
import { validationError } from "./awsError";

export interface StartReplayInput {
  name: string;
  description?: string;
  sourceArn: string;
  start: Date;
  end: Date;
  destination: { Arn: string; FilterArns?: string[] };
}

export interface ListReplaysInput {
  namePrefix?: string;
  state?: ReplayState;
  sourceArn?: string;
  limit: number;
  offset: number;
}

const replayStates: readonly ReplayState[] = ["STARTING", "RUNNING", "CANCELLING", "COMPLETED", "CANCELLED", "FAILED"];
const namePattern = /^[.\-_A-Za-z0-9]{1,64}$/;

type Body = Record<string, unknown>;

function bodyOf(body: unknown): Body {
  return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Body) : {};
}

function notNull(value: unknown, field: string): unknown {
  if (value === undefined || value === null) {
    throw validationError(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function text(value: unknown, field: string, optional = false): string | undefined {
  if (optional && (value === undefined || value === null)) return undefined;
  const found = notNull(value, field);
  if (typeof found !== "string") throw validationError(`Parameter ${field} is not valid. Reason: it must be a string.`);
  return found;
}

export function replayName(body: unknown, field = "replayName"): string {
  const name = text(bodyOf(body).ReplayName, field)!;
  if (!namePattern.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length between 1 and 64`,
    );
  }
  return name;
}

/** A timestamp as the SDK sends it (epoch seconds), or an ISO string. */
function time(value: unknown, field: string): Date {
  const found = notNull(value, field);
  const date = typeof found === "number" ? new Date(found * 1000) : typeof found === "string" ? new Date(found) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw validationError(`Parameter ${field} is not valid. Reason: it is not a timestamp.`);
  return date;
}

export function startReplayInput(raw: unknown): StartReplayInput {
  const body = bodyOf(raw);
  const name = replayName(body);
  const description = text(body.Description, "description", true);
  if (description !== undefined && description.length > 512) {
    throw validationError("Parameter Description is not valid. Reason: it must be at most 512 characters.");
  }
  const sourceArn = text(body.EventSourceArn, "eventSourceArn")!;
  const start = time(body.EventStartTime, "EventStartTime");
  const end = time(body.EventEndTime, "EventEndTime");
  if (start.getTime() >= end.getTime()) {
    throw validationError("Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.");
  }
  const destination = bodyOf(notNull(body.Destination, "destination"));
  const Arn = text(destination.Arn, "destination.arn")!;
  const filters = destination.FilterArns;
  if (filters !== undefined && filters !== null && (!Array.isArray(filters) || !filters.every((f) => typeof f === "string"))) {
    throw validationError("Parameter Destination.FilterArns is not valid. Reason: it must be a list of rule ARNs.");
  }
  const FilterArns = Array.isArray(filters) && filters.length > 0 ? (filters as string[]) : undefined;
  return { name, description, sourceArn, start, end, destination: FilterArns ? { Arn, FilterArns } : { Arn } };
}

export function listReplaysInput(raw: unknown): ListReplaysInput {
  const body = bodyOf(raw);
  const state = text(body.State, "state", true);
  if (state !== undefined && !(replayStates as string[]).includes(state)) {
    throw validationError(`1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [${replayStates.join(", ")}]`);
  }
  const limit = body.Limit ?? 50;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw validationError("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value between 1 and 100");
  }
  return {
    namePrefix: text(body.NamePrefix, "namePrefix", true),
    state: state as ReplayState | undefined,
    sourceArn: text(body.EventSourceArn, "eventSourceArn", true),
    limit,
    offset: pageOffset(text(body.NextToken, "nextToken", true)),
  };
}

export const nextToken = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64url");

function pageOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown };
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the error below
  }
  throw validationError("Parameter NextToken is not valid. Reason: the token is invalid or expired.");
}

/** A Date as the AWS JSON protocol carries it: epoch seconds. */
export const wireTime = (date: Date | undefined) => (date === undefined ? undefined : date.getTime() / 1000);

export type { ReplayDestination, ReplayState };
