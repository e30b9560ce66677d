/** The bus port over EventBridge: one entry per event, `DetailType` = type, `Detail` = the stored event. */
import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { StoredEvent } from "../domain/events";
import { eventSource } from "../domain/routes";
import type { EventBus } from "../ports";

const batchSize = 10; // PutEvents takes at most 10 entries

export class EventBridgeBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: () => string,
  ) {}

  async publish(events: readonly StoredEvent[]): Promise<StoredEvent[]> {
    const failed: StoredEvent[] = [];
    for (let i = 0; i < events.length; i += batchSize) {
      const batch = events.slice(i, i + batchSize);
      try {
        const answer = await this.client.send(
          new PutEventsCommand({
            Entries: batch.map((event) => ({
              EventBusName: this.busName(),
              Source: eventSource,
              DetailType: event.type,
              Detail: JSON.stringify(event),
              Time: new Date(event.timestamp),
            })),
          }),
        );
        if (!answer.FailedEntryCount) continue;
        (answer.Entries ?? []).forEach((entry, index) => {
          const event = batch[index];
          if (entry.ErrorCode && event) failed.push(event);
        });
      } catch {
        // The whole call failed: every event of the batch stays unpublished for the sweeper.
        failed.push(...batch);
      }
    }
    return failed;
  }
}
