/**
 * Direct messages in a real browser (CONTRACT §8 and §11), by accessible names: Ann opens
 * a DM with Ben and writes; Ben, whose page was open all along, sees it appear under
 * "Direct messages" named "Ann", unread, without a reload, and replies; Ann sees the reply.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { message, newPerson, send, signUpInBrowser, startBrowserSuite, stopBrowserSuite } from "../support/browser";

describe("web app in a browser: direct messages", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let ann: Page;
  let ben: Page;
  const dmLink = (page: Page, name: string) => page.getByRole("navigation", { name: "Direct messages" }).getByRole("link", { name, exact: true });

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    const open = async () => (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    [ann, ben] = [await open(), await open()];
    await signUpInBrowser(ben, sandbox.urls.web, newPerson("Ben"));
    await signUpInBrowser(ann, sandbox.urls.web, newPerson("Ann"));
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("lets Ann start a DM with Ben by picking him by name, and opens it with the message box", async () => {
    await ann.getByRole("button", { name: "New direct message" }).click();
    const dialog = ann.getByRole("dialog", { name: "New direct message" });
    const people = dialog.getByRole("textbox", { name: "People" });
    await people.pressSequentially("Be");
    await dialog.getByRole("option", { name: "Ben" }).click();
    await dialog.getByRole("button", { name: "Start" }).click();
    await dialog.waitFor({ state: "detached" });
    await ann.getByRole("heading", { level: 1, name: "Ben" }).waitFor();
    await dmLink(ann, "Ben").waitFor();
    expect(await ann.getByRole("navigation", { name: "Channels" }).getByRole("link").count(), "a DM is not a channel").to.equal(0);
    for (const button of ["Leave channel", "Join channel", "Edit channel"]) expect(await ann.getByRole("button", { name: button }).count(), button).to.equal(0);
    await send(ann, "Hi Ben, a word in private?");
  });

  it("shows the DM in Ben's sidebar, named Ann and unread, without a reload; he reads and replies", async () => {
    const link = dmLink(ben, "Ann");
    await link.waitFor({ timeout: 10_000 });
    // In-page code as text (the tests have no DOM types): the unread count's description is there.
    await ben.waitForFunction('document.querySelector(\'nav[aria-label="Direct messages"] a[aria-describedby]\') !== null', undefined, { timeout: 10_000 });
    const described = await link.getAttribute("aria-describedby");
    expect(await ben.locator(`[id="${described}"]`).textContent()).to.equal("1 unread message");
    await link.click();
    await ben.getByRole("heading", { level: 1, name: "Ann" }).waitFor();
    await message(ben, "Hi Ben, a word in private?").filter({ hasText: "Ann" }).waitFor({ timeout: 5000 });
    await send(ben, "Sure, Ann");
  });

  it("shows Ben's reply to Ann without a reload", async () => {
    await message(ann, "Sure, Ann").filter({ hasText: "Ben" }).waitFor({ timeout: 10_000 });
  });

  it("finds the same DM when Ben starts one with Ann: no second conversation", async () => {
    await ben.getByRole("button", { name: "New direct message" }).click();
    const dialog = ben.getByRole("dialog", { name: "New direct message" });
    await dialog.getByRole("textbox", { name: "People" }).pressSequentially("An");
    await dialog.getByRole("option", { name: "Ann" }).click();
    await dialog.getByRole("button", { name: "Start" }).click();
    await dialog.waitFor({ state: "detached" });
    await message(ben, "Hi Ben, a word in private?").waitFor({ timeout: 5000 });
    expect(await ben.getByRole("navigation", { name: "Direct messages" }).getByRole("link").count()).to.equal(1);
  });
});
