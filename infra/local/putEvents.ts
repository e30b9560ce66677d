/**
 * PutEvents input checks, answered the way EventBridge answers them: a malformed request
 * fails whole (ValidationException); a bad entry fails alone, with an ErrorCode in its
 * place in `Entries`, while the others go through.
 */
import { resources } from "./context";
import type { BusEntry } from "./busEnvelope";

export interface RequestEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  Resources?: unknown;
  Time?: unknown;
  EventBusName?: unknown;
}

export interface EntryError {
  ErrorCode: string;
  ErrorMessage: string;
}

export type CheckedEntry = { ok: true; bus: string; entry: BusEntry } | ({ ok: false } & EntryError);

export class ValidationException extends Error {
  override name = "ValidationException";
}

const maxEntries = 10;
const maxRequestBytes = 256 * 1024;

export function requestEntries(body: unknown): RequestEntry[] {
  const entries = (body as { Entries?: unknown } | null)?.Entries;
  if (!Array.isArray(entries)) {
    throw new ValidationException("1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
  }
  if (entries.length < 1 || entries.length > maxEntries) {
    throw new ValidationException(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${maxEntries}`,
    );
  }
  if (entries.reduce((total: number, entry: RequestEntry) => total + entrySize(entry), 0) > maxRequestBytes) {
    throw new ValidationException("Total size of the entries in the request is over the limit.");
  }
  return entries as RequestEntry[];
}

/** Checks one entry; `buses` are the names this EventBridge has. */
export function checkEntry(entry: RequestEntry, buses: readonly string[], now: Date): CheckedEntry {
  const bus = busName(entry.EventBusName);
  if (!buses.includes(bus)) return invalid(`Event bus ${bus} does not exist.`);
  for (const field of ["Source", "DetailType", "Detail"] as const) {
    if (typeof entry[field] !== "string" || entry[field] === "") {
      return invalid(`Parameter ${field} is not valid. Reason: ${field} is a required argument.`);
    }
  }
  const source = entry.Source as string;
  if (source.startsWith("aws.")) {
    return { ok: false, ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." };
  }
  const detail = parseObject(entry.Detail as string);
  if (detail === undefined) return { ok: false, ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
  const time = entry.Time === undefined ? now : new Date(typeof entry.Time === "number" ? entry.Time * 1000 : String(entry.Time));
  if (Number.isNaN(time.getTime())) return invalid("Parameter Time is not valid.");
  const resourceList = Array.isArray(entry.Resources) ? entry.Resources.map(String) : [];
  return { ok: true, bus, entry: { source, detailType: entry.DetailType as string, detail, time, resources: resourceList } };
}

/** A bus is named by its name or its ARN; no name means the account's default bus. */
function busName(value: unknown): string {
  if (typeof value !== "string" || value === "") return "default";
  const arn = /^arn:aws:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(value);
  return arn?.[1] ?? value;
}

function parseObject(text: string): object | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const invalid = (message: string): CheckedEntry => ({ ok: false, ErrorCode: "InvalidArgument", ErrorMessage: message });

/** How EventBridge sizes an entry: 14 bytes for Time, plus the UTF-8 bytes of the other fields. */
function entrySize(entry: RequestEntry): number {
  const bytes = (value: unknown) => (typeof value === "string" ? Buffer.byteLength(value) : 0);
  const resourceBytes = Array.isArray(entry.Resources) ? entry.Resources.reduce((n: number, r) => n + bytes(r), 0) : 0;
  return (entry.Time === undefined ? 0 : 14) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + resourceBytes;
}

export const knownBuses = [resources.eventBus, "default"] as const;
