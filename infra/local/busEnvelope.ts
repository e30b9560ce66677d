/** The event as EventBridge hands it to a target (and as the sandbox archives it). */
import { randomUUID } from "node:crypto";
import { resources } from "./context";

export interface BusEnvelope {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  /** ISO 8601 to the second, like EventBridge. */
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  "replay-name"?: string;
}

export interface BusEntry {
  source: string;
  detailType: string;
  detail: unknown;
  time: Date;
  resources: string[];
}

export function envelope(entry: BusEntry, id: string = randomUUID()): BusEnvelope {
  return {
    version: "0",
    id,
    "detail-type": entry.detailType,
    source: entry.source,
    account: resources.account,
    time: entry.time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: resources.region,
    resources: entry.resources,
    detail: entry.detail,
  };
}
