/**
 * A deployed stack's dead letters: the projections' EventBridge dead-letter queues (the
 * message is the event) and their Lambda on-failure queues (the event is the record's
 * `requestPayload`). A letter that fails again stays in its queue and reappears after
 * its visibility timeout, so one run does not loop on it.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { DeadLetter, DeadLetterQueue } from "./deadLetters";

export function sqsQueue(queues: { projection: string; url: string }[], sqs = new SQSClient({})): DeadLetterQueue {
  const seen = new Set<string>();
  const handles = new Map<string, { url: string; receipt: string }>();
  return {
    async receive() {
      for (const { projection, url } of queues) {
        const answer = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300 }));
        const fresh = (answer.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
        if (fresh.length === 0) continue;
        return fresh.map((m) => {
          seen.add(m.MessageId!);
          handles.set(m.MessageId!, { url, receipt: m.ReceiptHandle! });
          const body = JSON.parse(m.Body ?? "{}") as { requestPayload?: unknown };
          return { id: m.MessageId!, projection, event: body.requestPayload ?? body } satisfies DeadLetter;
        });
      }
      return [];
    },
    async remove(letter) {
      const handle = handles.get(letter.id);
      if (handle) await sqs.send(new DeleteMessageCommand({ QueueUrl: handle.url, ReceiptHandle: handle.receipt }));
    },
    async keep() {},
  };
}
