import { expect } from "chai";
import { checkEventInput } from "../../functions/http/parseEventRequest";
import { refusalError, validationError } from "../../functions/slack/errors";

const channelId = "7d3f1c2a-5b6e-4f70-8a9b-0c1d2e3f4a5b";
const messageId = "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f";
const errorOf = (object: Record<string, unknown>) => {
  const checked = checkEventInput(object);
  if (checked.ok) throw new Error("expected a refusal");
  return validationError(checked.error);
};

describe("Slack error names", () => {
  it("names POST /events' validation problems as Slack does, by the field at fault", () => {
    expect(errorOf({ type: "message_sent", channelId, messageId, text: "x".repeat(40_001) })).to.equal("msg_too_long");
    expect(errorOf({ type: "message_sent", channelId, messageId, text: "  " })).to.equal("no_text");
    expect(errorOf({ type: "message_sent", channelId, messageId })).to.equal("no_text");
    expect(errorOf({ type: "message_sent", channelId, messageId, text: "half \ud800 a pair" })).to.equal("invalid_arguments");
    expect(errorOf({ type: "message_sent", channelId: "general", messageId, text: "hi" })).to.equal("channel_not_found");
    expect(errorOf({ type: "reaction_added", channelId, messageId, emoji: "Thumbs Up" })).to.equal("invalid_name");
  });

  it("tells not_in_channel only where the caller can see the channel, channel_not_found elsewhere", async () => {
    const notMember = { status: 403, code: "not_member" } as const;
    expect(await refusalError(notMember, async () => true)).to.equal("not_in_channel");
    expect(await refusalError(notMember, async () => false)).to.equal("channel_not_found");
    expect(await refusalError({ status: 403, code: "forbidden" }, async () => false)).to.equal("channel_not_found");
  });

  it("names another's message by the method: cant_update_message, cant_delete_message", async () => {
    const notAuthor = { status: 403, code: "not_author" } as const;
    const unasked = async () => {
      throw new Error("visibility is not asked for this refusal");
    };
    expect(await refusalError(notAuthor, unasked, { notAuthor: "cant_update_message" })).to.equal("cant_update_message");
    expect(await refusalError(notAuthor, unasked, { notAuthor: "cant_delete_message" })).to.equal("cant_delete_message");
  });
});
