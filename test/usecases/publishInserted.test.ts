/** The publisher's rule: in order, in the bus's batches, stopping at the first batch the bus did not take whole. */
import type { DynamoDBStreamEvent } from "aws-lambda";
import { expect } from "chai";
import type { StoredEvent } from "../../functions/domain/events";
import type { EventBus } from "../../functions/ports";
import { awsAdapters } from "../../functions/adapters/wiring";
import { handler } from "../../functions/publish/handler";
import { publishInserted } from "../../functions/usecases/publishInserted";

const event = (seq: number) => ({ type: "channel_topic_set", eventId: `e${seq}`, stream: "channel-c", seq, timestamp: "2026-12-01T00:00:00.000Z", userId: "u", channelId: "c", topic: "t" }) as StoredEvent;
const records = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i + 1}`, event: event(i + 1) }));

/** A bus that takes whole batches except the entries named, and records each call. */
function bus(refused: string[] = []): EventBus & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async publish(events: readonly StoredEvent[]) {
      calls.push(events.map((e) => e.eventId));
      return events.filter((e) => refused.includes(e.eventId));
    },
  };
}

describe("publishInserted", () => {
  it("sends a batch's PutEvents calls at once, not one after another", async () => {
    let inFlight = 0;
    let most = 0;
    const slow: EventBus = {
      async publish() {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return [];
      },
    };
    expect(await publishInserted(records(40), slow)).to.equal(undefined);
    expect(most).to.equal(4);
  });

  it("sends every record in order, ten to a PutEvents, and reports nothing to retry", async () => {
    const b = bus();
    expect(await publishInserted(records(23), b)).to.equal(undefined);
    expect(b.calls.map((c) => c.length)).to.deep.equal([10, 10, 3]);
    expect(b.calls.flat()).to.deep.equal(records(23).map((r) => r.event.eventId));
  });

  it("answers the first refused record in stream order, whichever call refused it", async () => {
    const b = bus(["e24", "e14", "e12"]);
    expect(await publishInserted(records(30), b)).to.equal("r12");
    expect(b.calls.flat().sort()).to.deep.equal(records(30).map((r) => r.event.eventId).sort());
  });

  it("answers the first record of a batch whose PutEvents failed whole", async () => {
    const failing: EventBus = { publish: async (events) => [...events] };
    expect(await publishInserted(records(5), failing)).to.equal("r1");
  });
});

describe("the publish handler", () => {
  it("publishes the events of INSERT records and answers the record to retry from by its SequenceNumber", async () => {
    const published: string[] = [];
    const adapters = awsAdapters();
    const original = adapters.bus;
    adapters.bus = {
      async publish(events) {
        published.push(...events.map((e) => e.eventId));
        return events.filter((e) => e.eventId === "e3");
      },
    };
    try {
      const image = (seq: number) => ({ pk: { S: "channel-c" }, sk: { N: String(seq) }, event: { S: JSON.stringify(event(seq)) } });
      const input = {
        Records: [1, 2, 3, 4].map((seq) => ({ eventName: "INSERT", dynamodb: { SequenceNumber: `00${seq}`, NewImage: image(seq) } })),
      } as DynamoDBStreamEvent;
      expect(await handler(input)).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "003" }] });
      expect(published).to.deep.equal(["e1", "e2", "e3", "e4"]);
    } finally {
      adapters.bus = original;
    }
  });
});
