/** The search box's `from:` and `in:` completion: which filter the caret is in, which channels match, what is put in. */
import { expect } from "chai";
import { completeFilter, filterAt, matchChannels, personValue } from "../../web/src/compose/filterComplete";

const channels = [
  { channelId: "1", name: "general" },
  { channelId: "2", name: "dev-ops" },
  { channelId: "3", name: "devices" },
  { channelId: "4", name: "random" },
];

describe("web search filter completion", () => {
  it("finds the from: or in: the caret is in, with what is typed of its value (an @ or # apart)", () => {
    expect(filterAt("from:an", 7)).to.deep.equal({ kind: "from", start: 5, end: 7, value: "an" });
    expect(filterAt("deploy in:#de", 13)).to.deep.equal({ kind: "in", start: 11, end: 13, value: "de" });
    expect(filterAt("deploy FROM:@", 13)).to.deep.equal({ kind: "from", start: 13, end: 13, value: "" });
    expect(filterAt("from:an deploy", 6)).to.deep.equal({ kind: "from", start: 5, end: 7, value: "a" });
  });

  it("finds none in a word, after the filter's value, or in other filters", () => {
    expect(filterAt("wherefrom:an", 12)).to.equal(undefined);
    expect(filterAt("from:ann deploy", 15)).to.equal(undefined);
    expect(filterAt("on:2026", 7)).to.equal(undefined);
  });

  it("matches channels by their name's start, then by a later part", () => {
    expect(matchChannels(channels, "dev").map((c) => c.name)).to.deep.equal(["dev-ops", "devices"]);
    expect(matchChannels(channels, "ops").map((c) => c.name)).to.deep.equal(["dev-ops"]);
    expect(matchChannels(channels, "").map((c) => c.name)).to.deep.equal(["dev-ops", "devices", "general", "random"]);
  });

  it("puts the chosen value in place of what was typed, a space after it, the caret past it", () => {
    expect(completeFilter("deploy from:an", filterAt("deploy from:an", 14)!, personValue("Ann Lee"))).to.deep.equal({ text: "deploy from:AnnLee ", caret: 19 });
    expect(completeFilter("in:#ge deploy", filterAt("in:#ge deploy", 5)!, "general")).to.deep.equal({ text: "in:#general deploy", caret: 12 });
  });
});
