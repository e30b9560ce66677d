/**
 * Reactions in a real browser (CONTRACT §8, §10): two people in their own browser contexts,
 * by accessible names only. One reacts through the picker, the other sees it without a
 * reload and joins in, who reacted is told on hover and focus, and both take theirs back.
 */
import { expect } from "chai";
import type { Browser, Locator, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { message, send, startBrowserSuite, stopBrowserSuite, twoInAChannel } from "../support/browser";

describe("web app in a browser: reactions", function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let ann: Page;
  let ben: Page;
  const text = "We shipped the release!";

  /** The reaction toggle of `emoji` under the message, whatever its count. */
  const reaction = (page: Page, emoji: string): Locator => message(page, text).getByRole("button", { name: new RegExp(`^${emoji.replace(/[+]/g, "\\+")} \\d+$`) });
  const pressed = (button: Locator) => button.getAttribute("aria-pressed");
  /** The text of the element that describes `button` (aria-describedby). */
  const description = async (page: Page, button: Locator) => (await page.locator(`[id="${await button.getAttribute("aria-describedby")}"]`).textContent())?.trim();

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    ({ ann, ben } = await twoInAChannel(browser, sandbox, "launch", text));
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("offers 'Add reaction' on each message, opening a picker whose search finds tada", async () => {
    await message(ann, text).hover();
    await message(ann, text).getByRole("button", { name: "Add reaction" }).click();
    const picker = ann.getByRole("dialog", { name: "Add reaction" });
    const search = picker.getByRole("searchbox", { name: "Search emoji" });
    expect(await search.evaluate((el) => el === el.ownerDocument.activeElement)).to.equal(true);
    await picker.getByRole("button", { name: "thumbsup", exact: true }).waitFor();
    await search.fill("tada");
    await picker.getByRole("button", { name: "tada", exact: true }).waitFor();
    expect(await picker.getByRole("button", { name: "thumbsup", exact: true }).count()).to.equal(0);
    await search.fill("thumbsup");
    await picker.getByRole("button", { name: "thumbsup", exact: true }).click();
    await picker.waitFor({ state: "hidden" });
    const mine = reaction(ann, "thumbsup");
    await mine.waitFor();
    expect(await mine.getAttribute("aria-label")).to.equal("thumbsup 1");
    expect(await pressed(mine)).to.equal("true");
    expect(await mine.textContent()).to.contain("👍");
  });

  it("shows the other person the reaction without a reload, not pressed, and who reacted", async () => {
    const theirs = ben.getByRole("button", { name: "thumbsup 1", exact: true });
    await theirs.waitFor({ timeout: 5000 });
    expect(await pressed(theirs)).to.equal("false");
    expect(await description(ben, theirs)).to.equal("Ann reacted with :thumbsup:");
    await theirs.hover();
    await ben.getByRole("tooltip", { name: "Ann reacted with :thumbsup:" }).waitFor();
  });

  it("lets the other person join in by pressing it: 2 for both, pressed for each, names on focus", async () => {
    await ben.getByRole("button", { name: "thumbsup 1", exact: true }).click();
    const benSees = ben.getByRole("button", { name: "thumbsup 2", exact: true });
    await benSees.waitFor();
    expect(await pressed(benSees)).to.equal("true");
    const annSees = ann.getByRole("button", { name: "thumbsup 2", exact: true });
    await annSees.waitFor({ timeout: 5000 });
    expect(await pressed(annSees)).to.equal("true");
    await annSees.focus();
    expect(await description(ann, annSees)).to.equal("You and Ben reacted with :thumbsup:");
  });

  it("takes a reaction back when pressed again, for the other too; the last one out removes it", async () => {
    await ann.getByRole("button", { name: "thumbsup 2", exact: true }).click();
    const annSees = ann.getByRole("button", { name: "thumbsup 1", exact: true });
    await annSees.waitFor();
    expect(await pressed(annSees)).to.equal("false");
    const benSees = ben.getByRole("button", { name: "thumbsup 1", exact: true });
    await benSees.waitFor({ timeout: 5000 });
    expect(await pressed(benSees)).to.equal("true");
    await benSees.click();
    await reaction(ann, "thumbsup").waitFor({ state: "detached", timeout: 5000 });
    await reaction(ben, "thumbsup").waitFor({ state: "detached" });
  });

  it("keeps reactions across a reload, in the order first added", async () => {
    for (const name of ["tada", "+1"]) {
      await message(ben, text).hover();
      await message(ben, text).getByRole("button", { name: "Add reaction" }).click();
      const picker = ben.getByRole("dialog", { name: "Add reaction" });
      await picker.getByRole("searchbox", { name: "Search emoji" }).fill(name);
      await picker.getByRole("searchbox", { name: "Search emoji" }).press("Enter");
      await picker.waitFor({ state: "hidden" });
      await reaction(ben, name).waitFor();
    }
    await reaction(ann, "+1").waitFor({ timeout: 5000 });
    await ann.reload();
    await reaction(ann, "+1").waitFor();
    const names = await message(ann, text).getByRole("list", { name: "Reactions" }).getByRole("button").evaluateAll((els) => els.map((el) => el.getAttribute("aria-label")));
    expect(names).to.deep.equal(["tada 1", "+1 1"]);
  });
});
