/** The message box's `@` autocomplete: which word is a query, who it matches, and what is inserted. */
import { expect } from "chai";
import { insertMention, matchPeople, mentionQueryAt } from "../../web/src/compose/mentionComplete";

const people = [
  { userId: "1", name: "Ann Lee" },
  { userId: "2", name: "Andrew" },
  { userId: "3", name: "Joanna Banks" },
  { userId: "4", name: "Ben" },
];
const names = (query: string) => matchPeople(people, query).map((p) => p.name);

describe("web @ autocomplete", () => {
  it("finds the @word the caret ends, at the start or after a space", () => {
    expect(mentionQueryAt("@an", 3)).to.deep.equal({ start: 0, query: "an" });
    expect(mentionQueryAt("hi @an", 6)).to.deep.equal({ start: 3, query: "an" });
    expect(mentionQueryAt("hi @", 4)).to.deep.equal({ start: 3, query: "" });
    expect(mentionQueryAt("hi @an there", 6)).to.deep.equal({ start: 3, query: "an" });
  });

  it("does not take an email address or a finished word for a query", () => {
    expect(mentionQueryAt("mail ann@example.com", 20)).to.equal(undefined);
    expect(mentionQueryAt("@ann said", 9)).to.equal(undefined);
    expect(mentionQueryAt("", 0)).to.equal(undefined);
  });

  it("matches names by their start first, then by a later word, case-insensitively", () => {
    expect(names("an")).to.deep.equal(["Andrew", "Ann Lee"]);
    expect(names("AnnL")).to.deep.equal(["Ann Lee"]);
    expect(names("ban")).to.deep.equal(["Joanna Banks"]);
    expect(names("lee")).to.deep.equal(["Ann Lee"]);
    expect(names("zed")).to.deep.equal([]);
    expect(names("")).to.deep.equal(["Andrew", "Ann Lee", "Ben", "Joanna Banks"]);
  });

  it("inserts @ and the name without spaces, then a space, with the caret after it", () => {
    const at = mentionQueryAt("hi @an", 6)!;
    expect(insertMention("hi @an", at, "Ann Lee")).to.deep.equal({ text: "hi @AnnLee ", caret: 11 });
    const inner = mentionQueryAt("hi @an there", 6)!;
    expect(insertMention("hi @an there", inner, "Ann Lee")).to.deep.equal({ text: "hi @AnnLee there", caret: 11 });
  });
});
