/**
 * The layout in a real browser: the Mentions entry stays inside the sidebar; a thread opens
 * beside the channel; on a phone (390 px) nothing scrolls sideways, the sidebar is a menu
 * opened by "Open menu" and a thread covers the channel; a dark system theme darkens the page.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { createChannel, hasFocus, message, messages, newPerson, openPage, send, sidebarLink, sidebarSlidIn, signUpInBrowser, startBrowserSuite, stopBrowserSuite } from "../support/browser";

// In-page code is given as text: the tests' TypeScript has no DOM types.
/** How far the page scrolls sideways (0 when it does not). */
const sidewaysScroll = (page: Page) => page.evaluate<number>("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth");


describe("web app in a browser: layout", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    page = await openPage(browser);
    await signUpInBrowser(page, sandbox.urls.web, newPerson("Ann"));
    await createChannel(page, "a-channel-with-a-rather-long-name-for-a-phone", "A topic that goes on and on, longer than any phone is wide");
    await send(page, `A message with a long unbroken word: ${"w".repeat(120)}`);
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("keeps the Mentions entry inside the sidebar", async () => {
    const sidebar = (await page.locator("aside").boundingBox())!;
    const mentions = (await page.getByRole("link", { name: "Mentions" }).boundingBox())!;
    expect(mentions.x + mentions.width).to.be.at.most(sidebar.x + sidebar.width);
  });

  it("opens a thread beside the channel, both in view", async () => {
    await message(page, "A message with a long unbroken word").getByRole("button", { name: "Reply in thread" }).click();
    const thread = page.getByRole("region", { name: "Thread" });
    await thread.getByRole("textbox", { name: "Reply" }).waitFor();
    const panel = (await thread.boundingBox())!;
    const list = (await messages(page).boundingBox())!;
    expect(panel.x).to.be.at.least(list.x + list.width - 1);
    expect(panel.x + panel.width).to.be.at.most(1200);
    expect(list.width).to.be.at.least(400);
    expect(await sidewaysScroll(page)).to.be.at.most(0);
    await thread.getByRole("button", { name: "Close thread" }).click();
    await thread.waitFor({ state: "detached" });
  });

  it("does not scroll sideways on a 390 px phone, and hides the sidebar until the menu opens", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("heading", { level: 1, name: "a-channel-with-a-rather-long-name-for-a-phone" }).waitFor();
    expect(await sidewaysScroll(page)).to.be.at.most(0);
    const channels = page.getByRole("navigation", { name: "Channels" });
    await channels.waitFor({ state: "hidden" });
    const menu = page.getByRole("button", { name: "Open menu" });
    expect(await menu.getAttribute("aria-expanded")).to.equal("false");
    await menu.click();
    await channels.waitFor();
    expect(await menu.getAttribute("aria-expanded")).to.equal("true");
    await sidebarSlidIn(page);
    expect(await sidewaysScroll(page)).to.be.at.most(0);
    const box = (await page.locator("#sidebar").boundingBox())!;
    expect(box.x).to.be.at.least(0);
    expect(box.x + box.width).to.be.at.most(390);
  });

  it("closes the menu on Escape, giving focus back to its button, and when a channel is chosen", async () => {
    const menu = page.getByRole("button", { name: "Open menu" });
    await page.keyboard.press("Escape");
    await page.getByRole("navigation", { name: "Channels" }).waitFor({ state: "hidden" });
    expect(await hasFocus(menu)).to.equal(true);
    await menu.click();
    await createChannel(page, "second");
    await menu.click();
    await sidebarLink(page, "a-channel-with-a-rather-long-name-for-a-phone").click();
    await page.getByRole("navigation", { name: "Channels" }).waitFor({ state: "hidden" });
    await page.getByRole("heading", { level: 1, name: "a-channel-with-a-rather-long-name-for-a-phone" }).waitFor();
    expect(await sidewaysScroll(page)).to.be.at.most(0);
  });

  it("opens a thread over the channel on a phone, without scrolling sideways", async () => {
    await message(page, "A message with a long unbroken word").getByRole("button", { name: "Reply in thread" }).click();
    const thread = page.getByRole("region", { name: "Thread" });
    await thread.getByRole("textbox", { name: "Reply" }).waitFor();
    const panel = (await thread.boundingBox())!;
    expect(panel.x).to.be.at.most(0);
    expect(panel.width).to.be.at.least(389);
    expect(await sidewaysScroll(page)).to.be.at.most(0);
    // The thread's own close button, not hidden under anything.
    const close = thread.getByRole("button", { name: "Close thread" });
    await close.click({ trial: true });
    await close.click();
    await thread.waitFor({ state: "detached" });
  });

  it("follows a dark system theme", async () => {
    const background = () => page.evaluate<string>("getComputedStyle(document.documentElement).backgroundColor");
    await page.emulateMedia({ colorScheme: "light" });
    const light = await background();
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await background();
    expect(dark).to.not.equal(light);
    const [r, g, b] = dark.match(/\d+/g)!.map(Number);
    expect(r! + g! + b!).to.be.below(3 * 64);
    const text = await page.evaluate<string>('getComputedStyle(document.querySelector(".message-text")).color');
    expect(text.match(/\d+/g)!.map(Number).reduce((a, c) => a + c, 0)).to.be.above(3 * 160);
  });
});
