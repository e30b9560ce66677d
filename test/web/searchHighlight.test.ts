/** Search results' highlighting: which words of a result's text are the query's, by the server's rule (CONTRACT §12). */
import { expect } from "chai";
import { words } from "../../functions/domain/search/words";
import { highlightWords, markMatches } from "../../web/src/format/highlight";

const marked = (text: string, query: string) =>
  markMatches(text, highlightWords(query))
    .filter((p) => p.hit)
    .map((p) => p.text);

describe("web search highlighting", () => {
  it("takes a query's words and its phrases' words, normalized, and leaves out filters and excluded words", () => {
    expect(highlightWords('Deploy "green BUILD" from:ann in:#ops before:2026-01-01 has:link is:thread -draft -"old plan"')).to.deep.equal(["deploy", "green", "build"]);
    // A word like re:deploy, whose prefix is no filter, is a word as the server splits it.
    expect(highlightWords("re:deploy")).to.deep.equal(words("re:deploy"));
    expect(highlightWords("")).to.deep.equal([]);
    // A query the server refuses finds nothing to mark.
    expect(highlightWords("deploy before:soon")).to.deep.equal([]);
  });

  it("marks the words that start with a query word, whole words only, case- and accent-insensitively", () => {
    expect(marked("The deployment redeploys; Déploy again", "depl")).to.deep.equal(["deployment", "Déploy"]);
    expect(marked("CAFÉ and cafeteria", "cafe")).to.deep.equal(["CAFÉ", "cafeteria"]);
  });

  it("keeps every character of the text, in order", () => {
    const text = "ship it: the *release* is out, ship!";
    expect(markMatches(text, highlightWords("ship")).map((p) => p.text).join("")).to.equal(text);
    expect(markMatches(text, [])).to.deep.equal([{ text, hit: false }]);
  });

  it("marks a word inside Chinese and Japanese text as Intl.Segmenter splits it", () => {
    expect(marked("我们明天发布新版本", "发布")).to.deep.equal(["发布"]);
    expect(marked("東京に行きます", "東京")).to.deep.equal(["東京"]);
    // The server finds a Chinese or Japanese word inside another too: 庁 in 都庁.
    expect(marked("東京都庁に行きます", "庁")).to.deep.equal(["都庁"]);
  });
});
