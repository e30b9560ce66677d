/**
 * The ARNs the EventBridge stand-in answers with and accepts, in the sandbox's account and
 * region: the same shapes as on AWS, so `npm run replay` builds a StartReplay the same way
 * for both (only the ARNs and the endpoint differ).
 */
import { resources } from "./context";

const prefix = `arn:aws:events:${resources.region}:${resources.account}`;

/** The archive of `chat-bus`, over `<dataDir>/archive/chat-bus.jsonl`. */
export const archiveName = "chat-archive";

export const eventBridgeArns = {
  bus: (bus: string) => `${prefix}:event-bus/${bus}`,
  /** A rule on a custom bus: `rule/<bus>/<rule>`, as EventBridge names it. */
  rule: (bus: string, rule: string) => `${prefix}:rule/${bus}/${rule}`,
  archive: (archive: string) => `${prefix}:archive/${archive}`,
  replay: (replay: string) => `${prefix}:replay/${replay}`,
};
