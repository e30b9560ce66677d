/**
 * A projection function, invoked by its EventBridge rule with one event. Whatever event
 * arrives, the runner catches the views up with the store, so a failure here is retried
 * by EventBridge/Lambda and then kept as a dead letter, never silently dropped.
 */
import type { EventBridgeEvent } from "aws-lambda";
import { setting } from "../adapters/config";
import { awsAdapters } from "../adapters/wiring";
import type { StoredEvent } from "../domain/events";
import { type ProjectionName, projectionNames } from "../domain/routes";
import { project } from "../usecases/project";

export type ProjectionHandler = (event: EventBridgeEvent<string, StoredEvent>) => Promise<void>;

export function makeHandler(name: ProjectionName): ProjectionHandler {
  return async (event) => {
    const stored = event.detail;
    if (!stored || typeof stored !== "object" || typeof stored.type !== "string") {
      throw new Error(`Projection ${name} got an event without a stored event in its detail.`);
    }
    await project(name, stored, awsAdapters());
  };
}

export const handler: ProjectionHandler = (event) => {
  const name = setting("PROJECTION");
  if (!(projectionNames as string[]).includes(name)) throw new Error(`Unknown projection ${name}.`);
  return makeHandler(name as ProjectionName)(event);
};
