/** The picker's emoji data (web/src/emoji/emojiNames.ts): Slack's names from emojibase-data's iamcal set, glyphs, search. */
import { expect } from "chai";
import { emojiGlyph, favourites, searchEmoji } from "../../web/src/emoji/emojiNames";

describe("emoji names", () => {
  it("knows Slack's names, aliases included, with their glyphs", () => {
    expect(emojiGlyph("thumbsup")).to.equal("👍");
    expect(emojiGlyph("+1")).to.equal("👍");
    expect(emojiGlyph("-1")).to.equal("👎");
    expect(emojiGlyph("tada")).to.equal("🎉");
    expect(emojiGlyph("white_check_mark")).to.equal("✅");
    expect(emojiGlyph("no_such_emoji")).to.equal(undefined);
  });

  it("asks for the emoji presentation of characters that are text by default", () => {
    expect(emojiGlyph("heart")).to.equal("\u2764\ufe0f");
    expect(emojiGlyph("hash")).to.equal("#\ufe0f\u20e3");
  });

  it("lists well over a thousand names, every one valid as a reaction (CONTRACT §10), favourites first, skin tones left out", () => {
    const all = searchEmoji("");
    expect(all.length).to.be.greaterThan(1500);
    for (const { name } of all) expect(name).to.match(/^[a-z0-9_+-]{1,64}$/);
    expect(all.slice(0, favourites.length).map((e) => e.name)).to.deep.equal(favourites);
    expect(all.some((e) => e.name.startsWith("skin-tone"))).to.equal(false);
    expect(new Set(all.map((e) => e.name)).size).to.equal(all.length);
  });

  it("finds by words of the name, the exact name and names starting with it first", () => {
    expect(searchEmoji("tada")[0]!.name).to.equal("tada");
    expect(searchEmoji(":tada:")[0]!.name).to.equal("tada");
    expect(searchEmoji("TADA").map((e) => e.name)).to.include("tada");
    expect(searchEmoji("-1")[0]!.name).to.equal("-1");
    expect(searchEmoji("thumbs").map((e) => e.name).slice(0, 2)).to.have.members(["thumbsup", "thumbsdown"]);
    expect(searchEmoji("check mark").map((e) => e.name)).to.include("white_check_mark");
    expect(searchEmoji("zzzzqqq")).to.deep.equal([]);
    expect(searchEmoji("", 10)).to.have.length(10);
  });
});
