/**
 * The chat in a real browser (Debian's Chromium, headless) against the whole sandbox: two
 * people in two browser contexts, driven only by the accessible names of CONTRACT §8.
 * The steps build on each other, as one afternoon of chatting would.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { createChannel, deleteMessage, message, newPerson, send, sidebarLink, signUpInBrowser, startBrowserSuite, stopBrowserSuite } from "../support/browser";

describe("web app in a browser: two people chatting", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let ann: Page;
  let ben: Page;
  let channelUrl: string;

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    const open = async () => (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    ann = await open();
    ben = await open();
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("signs two new people up, each in their own browser", async () => {
    await signUpInBrowser(ann, sandbox.urls.web, newPerson("Ann"));
    await signUpInBrowser(ben, sandbox.urls.web, newPerson("Ben"));
  });

  it("creates a channel that opens at once and is listed in the creator's sidebar", async () => {
    await createChannel(ann, "general", "Company-wide announcements");
    await sidebarLink(ann, "general").waitFor();
    expect(ann.url()).to.match(/\/c\/[0-9a-f-]{36}$/);
    channelUrl = ann.url();
    await send(ann, "Welcome, everyone!");
  });

  it("lets the other browse the public channels, open one, read it and join it", async () => {
    await ben.getByRole("button", { name: "Browse channels" }).click();
    await ben.getByRole("link", { name: "general" }).click();
    await message(ben, "Welcome, everyone!").waitFor();
    expect(await sidebarLink(ben, "general").count()).to.equal(0);
    await ben.getByRole("button", { name: "Join channel" }).click();
    await sidebarLink(ben, "general").waitFor();
    await ben.getByRole("button", { name: "Leave channel" }).waitFor();
    await ann.getByRole("button", { name: "2 members" }).waitFor();
  });

  it("shows each one's messages on the other's screen without a reload, with the author's name", async () => {
    await send(ben, "Hi Ann, glad to be here");
    const seenByAnn = message(ann, "Hi Ann, glad to be here");
    await seenByAnn.filter({ hasText: "Ben" }).waitFor({ timeout: 5000 });
    await send(ann, "Line one\nLine two");
    await message(ben, "Line two").waitFor({ timeout: 5000 });
  });

  it("offers edit and delete on one's own messages only", async () => {
    const own = message(ben, "Hi Ann, glad to be here");
    const theirs = message(ben, "Welcome, everyone!");
    expect(await own.getByRole("button", { name: "Edit message" }).count()).to.equal(1);
    expect(await own.getByRole("button", { name: "Delete message" }).count()).to.equal(1);
    expect(await theirs.getByRole("button", { name: "Edit message" }).count()).to.equal(0);
    expect(await theirs.getByRole("button", { name: "Delete message" }).count()).to.equal(0);
  });

  it("shows an edit on the other side, marked (edited)", async () => {
    await message(ann, "Welcome, everyone!").getByRole("button", { name: "Edit message" }).click();
    const box = ann.getByRole("textbox", { name: "Edit message" });
    await box.fill("Welcome, everyone! Say hi.");
    await ann.getByRole("button", { name: "Save" }).click();
    const edited = message(ben, "Welcome, everyone! Say hi.");
    await edited.filter({ hasText: "(edited)" }).waitFor({ timeout: 5000 });
  });

  it("shows a deletion on the other side as a tombstone", async () => {
    await deleteMessage(ann, "Line two");
    await message(ben, "This message was deleted").waitFor({ timeout: 5000 });
    expect(await message(ben, "Line two").count()).to.equal(0);
  });

  it("keeps the session, the open channel and its history across a reload", async () => {
    await ben.reload();
    await ben.getByRole("button", { name: "Sign out" }).waitFor();
    expect(ben.url()).to.equal(channelUrl);
    await message(ben, "Welcome, everyone! Say hi.").waitFor();
    await message(ben, "This message was deleted").waitFor();
    await message(ben, "Hi Ann, glad to be here").waitFor();
    await send(ben, "Still here after a reload");
    await message(ann, "Still here after a reload").waitFor({ timeout: 5000 });
  });

  it("counts unread messages in the sidebar for a channel not on screen", async () => {
    await createChannel(ben, "random");
    await send(ann, "Are you there, Ben?");
    const general = sidebarLink(ben, "general");
    await general.locator(".badge", { hasText: /^1$/ }).waitFor({ timeout: 5000 });
    const described = await general.getAttribute("aria-describedby");
    expect(await ben.locator(`[id="${described}"]`).textContent()).to.equal("1 unread message");
    await general.click();
    await message(ben, "Are you there, Ben?").waitFor();
  });

  it("takes a channel out of the sidebar when one leaves it", async () => {
    await ben.getByRole("button", { name: "Leave channel" }).click();
    await sidebarLink(ben, "general").waitFor({ state: "detached" });
    await ben.getByRole("button", { name: "Join channel" }).waitFor();
    await ann.getByRole("button", { name: "1 member" }).waitFor();
  });

  it("signs out, and stays signed out after a reload", async () => {
    await ben.getByRole("button", { name: "Sign out" }).click();
    await ben.getByRole("button", { name: "Sign in" }).waitFor();
    await ben.reload();
    await ben.getByRole("textbox", { name: "Email" }).waitFor();
    expect(await ben.getByRole("button", { name: "Sign out" }).count()).to.equal(0);
  });
});
