/** Slack's mrkdwn as a tree (CONTRACT §8 "Formatting"): each construct, nesting, Slack's word rules, and hostile text. */
import { expect } from "chai";
import { type Block, type Inline, parseMrkdwn } from "../../web/src/format/mrkdwn";

const t = (text: string): Inline => ({ kind: "text", text });
const p = (...children: Inline[]): Block => ({ kind: "paragraph", children });
const bold = (...children: Inline[]): Inline => ({ kind: "bold", children });
const italic = (...children: Inline[]): Inline => ({ kind: "italic", children });
const strike = (...children: Inline[]): Inline => ({ kind: "strike", children });
const code = (text: string): Inline => ({ kind: "code", text });
const link = (href: string, ...children: Inline[]): Inline => ({ kind: "link", href, children: children.length ? children : [t(href)] });

/** Every link's href anywhere in the tree. */
function hrefs(nodes: readonly (Block | Inline)[]): string[] {
  return nodes.flatMap((n): string[] => {
    if (n.kind === "link") return [n.href, ...hrefs(n.children)];
    if (n.kind === "list") return n.items.flatMap((i) => hrefs(i.children));
    return "children" in n ? hrefs(n.children) : [];
  });
}
/** The tree as plain text (what a reader sees, without the markers). */
function shown(nodes: readonly (Block | Inline)[]): string {
  return nodes
    .map((n): string => {
      if (n.kind === "text" || n.kind === "code" || n.kind === "codeBlock") return n.text;
      if (n.kind === "list") return n.items.map((i) => shown(i.children)).join("\n");
      return shown(n.children);
    })
    .join("");
}

describe("mrkdwn", () => {
  describe("inline formatting", () => {
    it("reads *bold*, _italic_, ~strike~ and `code`", () => {
      expect(parseMrkdwn("*bold* _italic_ ~strike~ `code`")).to.deep.equal([p(bold(t("bold")), t(" "), italic(t("italic")), t(" "), strike(t("strike")), t(" "), code("code"))]);
    });

    it("nests emphasis inside emphasis, and code inside bold", () => {
      expect(parseMrkdwn("*_both_* and ~*gone*~")).to.deep.equal([p(bold(italic(t("both"))), t(" and "), strike(bold(t("gone"))))]);
      expect(parseMrkdwn("*run `npm test` now*")).to.deep.equal([p(bold(t("run "), code("npm test"), t(" now")))]);
    });

    it("opens and closes markers at word boundaries only, as Slack does", () => {
      for (const literal of ["a*b*c", "a*b* c", "snake_case_name", "un_usual_ name", "2*3*4", "2*3* 4", "2 * 3 * 4", "x~y~z", "* not bold*", "*not bold *", "file_name.txt", "mail ann_lee@example.com"]) {
        expect(parseMrkdwn(literal), literal).to.deep.equal([p(t(literal))]);
      }
      expect(parseMrkdwn("(*bold*), \"_it_\".")).to.deep.equal([p(t("("), bold(t("bold")), t('), "'), italic(t("it")), t('".'))]);
      expect(parseMrkdwn("*bold*s")).to.deep.equal([p(t("*bold*s"))]);
    });

    it("leaves unclosed markers, and markers across lines, as text", () => {
      for (const literal of ["*open", "_open and *also", "~", "*a\nb*", "`open code", "``"]) expect(parseMrkdwn(literal), literal).to.deep.equal([p(t(literal))]);
    });

    it("closes a marker at the first place it can, so overlapping markers nest properly or stay text", () => {
      expect(parseMrkdwn("*a _b* c_")).to.deep.equal([p(bold(t("a _b")), t(" c_"))]);
      expect(parseMrkdwn("**bold**")).to.deep.equal([p(t("*"), bold(t("bold")), t("*"))]);
    });

    it("parses nothing inside code: markers, links and mentions stay as typed", () => {
      expect(parseMrkdwn("`*x* <https://a.example|a> _y_`")).to.deep.equal([p(code("*x* <https://a.example|a> _y_"))]);
      expect(parseMrkdwn("*a `b* c`")).to.deep.equal([p(t("*a "), code("b* c"))]);
    });
  });

  describe("links", () => {
    it("links <url|label>, <url>, mailto, and bare http(s) URLs", () => {
      expect(parseMrkdwn("<https://example.com|the *site*>")).to.deep.equal([p(link("https://example.com", t("the "), bold(t("site"))))]);
      expect(parseMrkdwn("<https://example.com/a?b=c#d>")).to.deep.equal([p(link("https://example.com/a?b=c#d"))]);
      expect(parseMrkdwn("<mailto:ann@example.com|Ann> <mailto:ben@example.com>")).to.deep.equal([
        p(link("mailto:ann@example.com", t("Ann")), t(" "), link("mailto:ben@example.com", t("ben@example.com"))),
      ]);
      expect(parseMrkdwn("see https://example.com/x_y_z and HTTP://EXAMPLE.COM")).to.deep.equal([p(t("see "), link("https://example.com/x_y_z"), t(" and "), link("HTTP://EXAMPLE.COM"))]);
    });

    it("leaves a sentence's punctuation out of a bare URL, but keeps a closing parenthesis the URL opened", () => {
      expect(parseMrkdwn("(see https://en.wikipedia.org/wiki/Foo_(bar)).")).to.deep.equal([p(t("(see "), link("https://en.wikipedia.org/wiki/Foo_(bar)"), t(")."))]);
      expect(parseMrkdwn("*https://example.com*, ok?")).to.deep.equal([p(bold(link("https://example.com")), t(", ok?"))]);
    });

    it("does not link a URL glued to a word, a scheme without a host, or other schemes", () => {
      for (const literal of ["xhttps://example.com", "https://", "ftp://example.com", "www.example.com", "<ftp://example.com|f>", "<@U123>", "<#C123|general>", "<!here>"]) {
        expect(parseMrkdwn(literal), literal).to.deep.equal([p(t(literal))]);
      }
    });
  });

  describe("blocks", () => {
    it("reads ``` code blocks, on their own lines or within one, parsing nothing inside", () => {
      expect(parseMrkdwn("before\n```\nconst a = *b*;\n> not a quote\n- not a list\n```\nafter")).to.deep.equal([
        p(t("before")),
        { kind: "codeBlock", text: "const a = *b*;\n> not a quote\n- not a list" },
        p(t("after")),
      ]);
      expect(parseMrkdwn("run ```npm test``` please")).to.deep.equal([p(t("run ")), { kind: "codeBlock", text: "npm test" }, p(t(" please"))]);
      expect(parseMrkdwn("```open\nstill *bold*")).to.deep.equal([p(t("```open\nstill "), bold(t("bold")))]);
    });

    it("quotes consecutive lines starting with >, and everything after >>>", () => {
      expect(parseMrkdwn("> *bold* in a quote\n>second line\nafter")).to.deep.equal([{ kind: "quote", children: [p(bold(t("bold")), t(" in a quote\nsecond line"))] }, p(t("after"))]);
      expect(parseMrkdwn("intro\n>>> all\nof _this_")).to.deep.equal([p(t("intro")), { kind: "quote", children: [p(t("all\nof "), italic(t("this")))] }]);
      expect(parseMrkdwn("a > b\n >indented")).to.deep.equal([p(t("a > b\n >indented"))]);
    });

    it("holds lists, code blocks but no further quote inside a quote", () => {
      expect(parseMrkdwn("> - one\n> - two\n> ```x```\n> > deeper")).to.deep.equal([
        {
          kind: "quote",
          children: [{ kind: "list", ordered: false, items: [{ children: [t("one")] }, { children: [t("two")] }] }, { kind: "codeBlock", text: "x" }, p(t("> deeper"))],
        },
      ]);
    });

    it("reads lists of - and • lines, and numbered lists with their numbers, with links inside", () => {
      expect(parseMrkdwn("- first <https://example.com|link>\n• second\n1. one\n3. three\nafter")).to.deep.equal([
        { kind: "list", ordered: false, items: [{ children: [t("first "), link("https://example.com", t("link"))] }, { children: [t("second")] }] },
        { kind: "list", ordered: true, items: [{ number: 1, children: [t("one")] }, { number: 3, children: [t("three")] }] },
        p(t("after")),
      ]);
      for (const literal of ["-no space", "- ", "1.no space", "a - b"]) expect(parseMrkdwn(literal), literal).to.deep.equal([p(t(literal))]);
    });

    it("keeps blank lines: a paragraph before a block ends with the blank line", () => {
      expect(parseMrkdwn("a\n\nb")).to.deep.equal([p(t("a\n\nb"))]);
      expect(parseMrkdwn("a\n\n- x\n\n- y")).to.deep.equal([
        p(t("a\n")),
        { kind: "list", ordered: false, items: [{ children: [t("x")] }] },
        p(),
        { kind: "list", ordered: false, items: [{ children: [t("y")] }] },
      ]);
      expect(parseMrkdwn("a\r\nb")).to.deep.equal([p(t("a\nb"))]);
    });
  });

  describe("hostile text", () => {
    it("keeps HTML as the text it is, linking nothing", () => {
      for (const hostile of ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", '"><svg onload=alert(1)>', "&lt;b&gt;", "<a href=\"javascript:alert(1)\">x</a>", "<style>*{display:none}</style>"]) {
        const tree = parseMrkdwn(hostile);
        expect(hrefs(tree), hostile).to.deep.equal([]);
        expect(shown(tree), hostile).to.equal(hostile);
      }
    });

    it("makes a link only of http, https and mailto targets", () => {
      const hostile = [
        "<javascript:alert(1)|click>",
        "<JaVaScRiPt:alert(1)|x>",
        "< javascript:alert(1)|x>",
        "<\u0001javascript:alert(1)|x>",
        "<java\tscript:alert(1)|x>",
        "<data:text/html,<script>alert(1)</script>|x>",
        "<data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==|x>",
        "<vbscript:msgbox(1)|x>",
        "< https://example.com|x>",
        "<\thttps://example.com|x>",
        "<https ://example.com|x>",
        "<//evil.example|x>",
      ];
      for (const text of hostile) {
        const tree = parseMrkdwn(text);
        expect(hrefs(tree).filter((h) => !/^(https?:\/\/|mailto:)/i.test(h)), text).to.deep.equal([]);
        expect(shown(tree), text).to.equal(text);
      }
      expect(parseMrkdwn("<javascript:alert(1)|click>")).to.deep.equal([p(t("<javascript:alert(1)|click>"))]);
    });

    it("shows a label holding markup as text, and never links within a label", () => {
      const tree = parseMrkdwn("<https://ok.example|<b>label</b>>");
      expect(shown(tree)).to.equal("<https://ok.example|<b>label</b>>");
      expect(hrefs(tree)).to.deep.equal(["https://ok.example"]);
      expect(parseMrkdwn("<https://a.example|see https://b.example>")).to.deep.equal([p(link("https://a.example", t("see https://b.example")))]);
    });

    it("parses 40,000 characters of markers, brackets and backticks in linear time", () => {
      const inputs = [
        Array.from({ length: 40_000 }, (_, i) => "*_~"[i % 3]).join(""),
        "*a ".repeat(13_334),
        "_a".repeat(20_000),
        "<".repeat(40_000),
        "<https://x|".repeat(3_637),
        "`a\n".repeat(13_334),
        "```a".repeat(10_000),
        "a\n".repeat(20_000) + "```",
        "- *a\n".repeat(8_000),
        "> _\n".repeat(10_000),
        "https://example.com" + ")".repeat(40_000),
      ];
      parseMrkdwn(inputs.map((s) => s.slice(0, 400)).join("\n")); // compiled before it is timed
      for (const text of inputs) {
        // The best of three: a busy machine slows a run down, a quadratic parse slows every run.
        let best = Infinity;
        for (let run = 0; run < 3; run++) {
          const started = performance.now();
          parseMrkdwn(text);
          best = Math.min(best, performance.now() - started);
        }
        expect(best, text.slice(0, 12)).to.be.below(200);
      }
    });
  });
});

