import type { FaultInjector } from "./faults";
import type { SandboxHandlers } from "./handlers";

export type LogLevel = "info" | "warn" | "error";
export type Log = (level: LogLevel, message: string) => void;

/** Logs to stderr, so the table `npm start` prints stays readable on stdout. */
export const consoleLog: Log = (level, message) => {
  if (level !== "info" || process.env.SANDBOX_VERBOSE) console.error(`[sandbox] ${level}: ${message}`);
};
export const silentLog: Log = () => {};

/** Names of the resources the sandbox creates, the same names the handlers get in their env. */
export const resources = {
  eventsTable: "chat-events",
  connectionsTable: "chat-connections",
  viewsBucket: "chat-views",
  eventBus: "chat-bus",
  region: "us-east-1",
  account: "000000000000",
} as const;

/** What every service's `start` receives. */
export interface SandboxContext {
  /** Absolute; each service keeps its data in a folder of its own below it. */
  dataDir: string;
  handlers: SandboxHandlers;
  log: Log;
  /** Present when the sandbox was started with faults (even all at 0): the services inject them. */
  faults?: FaultInjector;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
