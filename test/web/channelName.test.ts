/** The create-channel dialog's name check agrees with the server's schema (CONTRACT §3). */
import { expect } from "chai";
import fc from "fast-check";
import { inputSchemas } from "../../functions/domain/events";
import { channelNameProblem, slugChannelName } from "../../web/src/channelName";

const serverAccepts = (name: string) => inputSchemas.channel_created.safeParse({ type: "channel_created", name }).success;

describe("web channel name check", () => {
  it("accepts and refuses exactly the names the server does", () => {
    const alphabet = fc.constantFrom(..."abcz09-_AZ .#é".split(""));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: alphabet, maxLength: 90 }), fc.string({ maxLength: 90 })), (name) => {
        expect(channelNameProblem(name) === undefined).to.equal(serverAccepts(name));
      }),
      { numRuns: 2000 },
    );
  });

  it("says what is wrong", () => {
    expect(channelNameProblem("")).to.match(/name/);
    expect(channelNameProblem("Bad Name")).to.match(/lowercase/);
    expect(channelNameProblem("--")).to.match(/letter or digit/);
    expect(channelNameProblem("x".repeat(81))).to.match(/80/);
    expect(channelNameProblem("plan-2025_q1")).to.equal(undefined);
  });
});

describe("web channel name as typed", () => {
  it("lowercases and turns spaces into hyphens, leaving the rest for the check", () => {
    expect(slugChannelName("My Channel")).to.equal("my-channel");
    expect(slugChannelName("Plan  Q1 ")).to.equal("plan-q1-");
    expect(slugChannelName("a.b")).to.equal("a.b");
    expect(channelNameProblem(slugChannelName("Design Team"))).to.equal(undefined);
  });
});
