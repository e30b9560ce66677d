/**
 * Formatting in a real browser (CONTRACT §8): one person writes mrkdwn and hostile text, the
 * other reads it, pushed, in Debian's Chromium. Markup a person types stays text: no element
 * is made of it, no script runs, no alert opens, no `javascript:` link exists.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { createChannel, message, messages, newPerson, sidebarLink, signUpInBrowser, startBrowserSuite, stopBrowserSuite } from "../support/browser";

describe("web app in a browser: formatted messages", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let ann: Page;
  let ben: Page;
  const dialogs: string[] = [];

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    const open = async () => (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    ann = await open();
    ben = await open();
    for (const page of [ann, ben]) {
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
    }
    await signUpInBrowser(ann, sandbox.urls.web, newPerson("Ann"));
    await signUpInBrowser(ben, sandbox.urls.web, newPerson("Ben"));
    await createChannel(ann, "formatting");
    await ben.getByRole("button", { name: "Browse channels" }).click();
    await ben.getByRole("link", { name: "formatting" }).click();
    await ben.getByRole("button", { name: "Join channel" }).click();
    await sidebarLink(ben, "formatting").waitFor();
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  /** Sends as typed (the shared `send` waits for the text as typed, which formatting changes). */
  async function post(page: Page, text: string): Promise<void> {
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill(text);
    await box.press("Enter");
  }

  it("shows an HTML tag someone typed as text: no image is made, no handler runs", async () => {
    await post(ann, "<img src=x onerror=alert(1)>");
    await post(ann, "<script>alert(2)</script>");
    for (const page of [ben, ann]) {
      await message(page, "<img src=x onerror=alert(1)>").waitFor();
      await message(page, "<script>alert(2)</script>").waitFor();
      expect(await messages(page).locator("img, script").count()).to.equal(0);
      expect(await messages(page).locator(".message-text svg").count()).to.equal(0);
    }
    expect(dialogs).to.deep.equal([]);
  });

  it("shows a javascript: link as text, and makes no link of it", async () => {
    await post(ann, "<javascript:alert(3)|click>");
    const shown = message(ben, "<javascript:alert(3)|click>");
    await shown.waitFor();
    expect(await shown.getByRole("link").count()).to.equal(0);
    expect(await messages(ben).locator('a[href^="javascript:" i]').count()).to.equal(0);
    expect(dialogs).to.deep.equal([]);
  });

  it("shows *bold* in bold, without the stars", async () => {
    await post(ann, "*boldly*");
    const bold = messages(ben).locator("strong", { hasText: /^boldly$/ });
    await bold.waitFor();
    expect(await message(ben, "boldly").locator(".message-text").innerText()).to.equal("boldly");
  });

  it("makes <url|label> a link named by its label that opens in a new tab", async () => {
    await post(ann, "the notes: <https://example.com/notes|release notes>");
    const link = messages(ben).getByRole("link", { name: "release notes" });
    await link.waitFor();
    expect(await link.getAttribute("href")).to.equal("https://example.com/notes");
    expect(await link.getAttribute("target")).to.equal("_blank");
    expect((await link.getAttribute("rel"))?.split(" ").sort()).to.deep.equal(["noopener", "noreferrer"]);
  });

  it("still highlights a mention of the reader inside bold text, in the channel and in Mentions", async () => {
    await post(ann, "*@ben please review*");
    const mine = messages(ben).locator("strong .mention.is-me", { hasText: "@ben" });
    await mine.waitFor();
    // For its author it names someone else: marked, not highlighted.
    await messages(ann).locator("strong .mention", { hasText: "@ben" }).waitFor();
    expect(await messages(ann).locator("strong .mention.is-me").count()).to.equal(0);
    await ben.getByRole("link", { name: "Mentions" }).click();
    await ben.getByRole("list", { name: "Mentions" }).locator("strong .mention.is-me", { hasText: "@ben" }).waitFor();
  });

  it("shows code, quotes and lists as such", async () => {
    await ann.getByRole("heading", { level: 1, name: "formatting" }).waitFor();
    await post(ann, "> quoted _words_\n- first item\n- second item\n1. numbered\nrun `npm test` then\n```\n*not bold*\n```");
    const list = messages(ann);
    await list.locator("blockquote", { hasText: "quoted words" }).locator("em", { hasText: "words" }).waitFor();
    expect(await list.locator("ul > li").allInnerTexts()).to.deep.equal(["first item", "second item"]);
    expect(await list.locator("ol > li").allInnerTexts()).to.deep.equal(["numbered"]);
    expect(await list.locator("code", { hasText: "npm test" }).count()).to.equal(1);
    expect(await list.locator("pre").innerText()).to.equal("*not bold*");
    expect(dialogs).to.deep.equal([]);
  });
});
