/** The message box's text rules: the length counter near the limit, drafts, and highlighting mentions of me. */
import { expect } from "chai";
import { loadDraft, saveDraft } from "../../web/src/compose/drafts";
import { splitMentions } from "../../web/src/compose/mentionHighlight";
import { lengthNote, maxMessageLength, tooLong } from "../../web/src/compose/messageLength";

describe("web message box text", () => {
  it("counts code points after trimming, and shows a counter only near the limit", () => {
    expect(lengthNote("x".repeat(38_999))).to.equal(undefined);
    expect(lengthNote("x".repeat(39_000))).to.deep.equal({ left: 1000, note: "1,000 characters left" });
    expect(lengthNote(`  ${"😀".repeat(39_999)}  `)).to.deep.equal({ left: 1, note: "1 character left" });
    expect(lengthNote("x".repeat(40_002))).to.deep.equal({ left: -2, note: "2 characters over the limit" });
  });

  it("refuses only what is over the limit", () => {
    expect(tooLong("x".repeat(maxMessageLength))).to.equal(undefined);
    expect(tooLong("x".repeat(maxMessageLength + 3))).to.match(/at most 40,000 characters.*by 3/);
  });

  it("keeps a draft per person and channel, and forgets an empty one", () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) };
    saveDraft(storage, "me", "c1", "half a thought");
    expect(loadDraft(storage, "me", "c1")).to.equal("half a thought");
    expect(loadDraft(storage, "me", "c2")).to.equal("");
    expect(loadDraft(storage, "you", "c1")).to.equal("");
    saveDraft(storage, "me", "c1", "  ");
    expect(data.size).to.equal(0);
  });

  it("marks the mentions that name me, by my whole name or my first name", () => {
    expect(splitMentions("hi @AnnLee and @ann, ask @ben", "Ann Lee")).to.deep.equal([
      { text: "hi " },
      { text: "@AnnLee", mention: "me" },
      { text: " and " },
      { text: "@ann", mention: "me" },
      { text: ", ask " },
      { text: "@ben", mention: "other" },
    ]);
    expect(splitMentions("no names here", "Ann")).to.deep.equal([{ text: "no names here" }]);
  });
});
