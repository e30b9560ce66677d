/**
 * reactions.add and reactions.remove: reaction_added and reaction_removed through the store.
 * Adding a reaction one already has, or removing one one has not, answers `ok` as the store
 * answers 202 (CONTRACT §10), not Slack's `already_reacted`/`no_reaction`: the store keeps
 * no per-user record to refuse on, and the views lag, so a refusal read from them could
 * drop a removal that follows an add at once. A repeated call is harmless either way.
 */
import { fail, ok, type SlackAnswer, type SlackCall } from "./answer";
import { messageAt } from "./messageRef";
import { write } from "./writes";

export const reactionsAdd = (call: SlackCall) => react(call, "reaction_added");
export const reactionsRemove = (call: SlackCall) => react(call, "reaction_removed");

async function react(call: SlackCall, type: "reaction_added" | "reaction_removed"): Promise<SlackAnswer> {
  const { args, deps } = call;
  if (args.timestamp === undefined) return fail("no_item_specified");
  if (args.name === undefined || args.name === "") return fail("invalid_name");
  const channelId = (args.channel ?? "").toLowerCase();
  const target = await messageAt(deps.store, channelId, args.timestamp);
  // Slack's clients may wrap the name in colons (":tada:").
  const emoji = args.name.replace(/^:(.*):$/, "$1");
  const result = await write(call, { type, channelId: args.channel, messageId: target?.messageId ?? deps.newId(), emoji });
  return "error" in result ? result.error : ok();
}
