/** The input schemas: what a client may send (CONTRACT §3), refused before any rule is looked at. */
import { expect } from "chai";
import { clientEventTypes, EventInput, eventTypes, streamOf } from "../../functions/domain/events";
import { channelIds, messageId, registered } from "../support/domainFixtures";

const channelId = channelIds.general;
const parse = (body: unknown) => EventInput.safeParse(body);
const accepts = (body: unknown) => expect(parse(body).success, JSON.stringify(body).slice(0, 120)).to.equal(true);
const refuses = (body: unknown, path?: string) => {
  const result = parse(body);
  expect(result.success, JSON.stringify(body).slice(0, 120)).to.equal(false);
  if (path !== undefined) expect(result.error?.issues.map((i) => i.path.join("."))).to.include(path);
};

const create = (name: string, extra: object = {}) => ({ type: "channel_created", name, ...extra });
const sendText = (text: string) => ({ type: "message_sent", channelId, messageId: messageId(1), text });
const editText = (text: string) => ({ type: "message_edited", channelId, messageId: messageId(1), text });

/** A valid body of every client type. */
const validBodies = [
  { type: "channel_created", channelId, name: "general", topic: "t", private: true },
  { type: "user_joined_channel", channelId, memberId: "u-ben" },
  { type: "user_left_channel", channelId },
  sendText("hi"),
  editText("hi"),
  { type: "message_deleted", channelId, messageId: messageId(1) },
  { type: "reaction_added", channelId, messageId: messageId(1), emoji: "thumbsup" },
  { type: "reaction_removed", channelId, messageId: messageId(1), emoji: "+1" },
  { type: "channel_renamed", channelId, name: "general-2" },
  { type: "channel_topic_set", channelId, topic: "" },
  { type: "dm_opened", memberIds: ["u-ben"] },
  { type: "user_renamed", name: "Ann Lee" },
];

describe("input schemas", () => {
  it("accept a valid body of every client type", () => {
    for (const body of validBodies) accepts(body);
  });

  describe("channel name", () => {
    it("accepts 1–80 lowercase letters, digits, '-' and '_' with at least one letter or digit", () => {
      for (const name of ["a", "7", "general", "dev-ops_2", "-a", "_9_", "a".repeat(80)]) accepts(create(name));
    });

    it("refuses an empty name or one longer than 80 characters", () => {
      refuses(create(""), "name");
      refuses(create("a".repeat(81)), "name");
    });

    it("refuses uppercase letters, spaces, accents and other punctuation", () => {
      for (const name of ["General", "dev ops", "café", "#general", "a.b", "a/b"]) refuses(create(name), "name");
    });

    it("refuses a name made only of '-' and '_'", () => {
      for (const name of ["-", "_", "--__"]) refuses(create(name), "name");
    });

    it("is required", () => refuses({ type: "channel_created" }, "name"));
  });

  describe("emoji name (CONTRACT §10)", () => {
    const react = (emoji: unknown) => ({ type: "reaction_added", channelId, messageId: messageId(1), emoji });
    it("accepts Slack's names: 1–64 of a-z, 0-9, '_', '+' and '-'", () => {
      for (const emoji of ["thumbsup", "+1", "-1", "tada", "e-mail", "flag_gb", "100", "a", "z".repeat(64)]) {
        accepts(react(emoji));
        accepts({ ...react(emoji), type: "reaction_removed" });
      }
    });
    it("refuses the empty name, 65 characters, uppercase, spaces, colons, the glyph itself and non-strings", () => {
      for (const emoji of ["", "z".repeat(65), "Thumbsup", "thumbs up", ":tada:", "👍", "tada\n", 1, null]) {
        refuses(react(emoji), "emoji");
        refuses({ ...react(emoji), type: "reaction_removed" }, "emoji");
      }
    });
    it("says what an emoji name may hold", () => {
      const result = parse(react("Thumbs Up"));
      expect(result.error?.issues.map((i) => i.message).join(" ")).to.match(/emoji name/);
    });
    it("is required, as are the channel and the message; nothing else is allowed", () => {
      refuses({ type: "reaction_added", channelId, messageId: messageId(1) }, "emoji");
      refuses({ type: "reaction_added", messageId: messageId(1), emoji: "tada" }, "channelId");
      refuses({ type: "reaction_removed", channelId, emoji: "tada" }, "messageId");
      refuses({ ...react("tada"), userId: "u-ben" });
    });
  });

  describe("channel options", () => {
    it("accept a topic of up to 250 characters and refuse 251", () => {
      accepts(create("g", { topic: "" }));
      accepts(create("g", { topic: "t".repeat(250) }));
      refuses(create("g", { topic: "t".repeat(251) }), "topic");
    });

    it("count an emoji once in a topic: 250 emoji pass, 251 fail", () => {
      accepts(create("g", { topic: "😀".repeat(250) }));
      refuses(create("g", { topic: "😀".repeat(251) }), "topic");
    });

    it("take private as a boolean only", () => {
      refuses(create("g", { private: "true" }), "private");
    });

    it("leave topic, private and channelId absent when not given", () => {
      expect(parse(create("g")).data).to.deep.equal({ type: "channel_created", name: "g" });
    });
  });

  describe("message text", () => {
    it("is stored trimmed", () => {
      expect(parse(sendText("  \n hello world \t ")).data).to.deep.include({ text: "hello world" });
      expect(parse(editText("  fixed  ")).data).to.deep.include({ text: "fixed" });
    });

    it("refuses an empty or whitespace-only text", () => {
      for (const text of ["", " ", " \n\t ", "\u00a0\u3000"]) {
        refuses(sendText(text), "text");
        refuses(editText(text), "text");
      }
    });

    it("accepts 40,000 code points and refuses 40,001", () => {
      accepts(sendText("x".repeat(40_000)));
      refuses(sendText("x".repeat(40_001)), "text");
      refuses(editText("x".repeat(40_001)), "text");
    });

    it("counts an emoji once: 40,000 emoji pass, 40,001 fail", () => {
      accepts(sendText("😀".repeat(40_000)));
      accepts(editText("😀".repeat(40_000)));
      refuses(sendText("😀".repeat(40_001)), "text");
    });

    it("counts only what is left after trimming", () => {
      accepts(sendText(`   ${"x".repeat(40_000)}\n\n`));
    });

    it("is required and must be a string", () => {
      refuses({ type: "message_sent", channelId, messageId: messageId(1) }, "text");
      refuses(sendText(42 as unknown as string), "text");
    });
  });

  describe("ids", () => {
    it("refuse a channelId or messageId that is not a UUID", () => {
      for (const bad of ["general", "123", "aaaaaaaa00004000800000000000001", `${channelId}x`]) {
        refuses({ type: "user_left_channel", channelId: bad }, "channelId");
        refuses(create("g", { channelId: bad }), "channelId");
        refuses({ type: "message_deleted", channelId, messageId: bad }, "messageId");
      }
    });

    it("require channelId on every command but channel_created", () => {
      refuses({ type: "user_joined_channel" }, "channelId");
      refuses({ type: "message_sent", messageId: messageId(1), text: "hi" }, "channelId");
      accepts(create("g"));
    });

    it("require a messageId on message commands", () => {
      refuses({ type: "message_sent", channelId, text: "hi" }, "messageId");
      refuses({ type: "message_deleted", channelId }, "messageId");
    });

    it("take memberId as 1–128 visible ASCII characters, optional", () => {
      accepts({ type: "user_joined_channel", channelId });
      accepts({ type: "user_joined_channel", channelId, memberId: "x".repeat(128) });
      for (const bad of ["", "x".repeat(129), "u ben", "ü"]) refuses({ type: "user_joined_channel", channelId, memberId: bad }, "memberId");
    });
  });

  it("refuse unknown fields on every type, a userId in the body included", () => {
    for (const body of validBodies) {
      const result = parse({ ...body, userId: "u-mallory" });
      expect(result.success, body.type).to.equal(false);
      expect(result.error?.issues.map((i) => (i.code === "unrecognized_keys" ? i.keys : []))).to.deep.include(["userId"]);
    }
  });

  it("refuse an unknown or missing type", () => {
    refuses({ type: "channel_archived", channelId }, "type");
    refuses({ channelId }, "type");
  });

  it("do not accept user_registered from a client", () => {
    refuses({ type: "user_registered", name: "Mallory" }, "type");
    expect(clientEventTypes).to.deep.equal(eventTypes.filter((t) => t !== "user_registered"));
    expect(clientEventTypes).to.have.members(validBodies.map((b) => b.type));
  });
});

describe("streams", () => {
  it("put channel events on channel-<channelId> and user_registered on user-<userId>", () => {
    const created = { type: "channel_created" as const, eventId: "e", timestamp: "t", userId: "u-ann", channelId, name: "g", topic: "", private: false };
    expect(streamOf(created)).to.equal(`channel-${channelId}`);
    expect(streamOf(registered("u-ann", "Ann"))).to.equal("user-u-ann");
  });
});
