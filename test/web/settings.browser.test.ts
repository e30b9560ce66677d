/**
 * CONTRACT §14 in the browser: channel settings and removal, display names, read state kept
 * by the server (so two browsers of one person agree), the "New" line with "Jump to first
 * unread", and join/leave lines. The others in the channel act through the API.
 */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { post, signUp, type Person as ApiPerson } from "../support/chatApi";
import { createChannel, inMessagesView, message, messages, newPerson, openChannelId, openPage, type Person, send, sidebarLink, signInInBrowser, signUpInBrowser, startBrowserSuite, stopBrowserSuite } from "../support/browser";

describe("web app in a browser: channel settings, profile and read state", function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let ann: Person;
  let annPage: Page;
  let ben: ApiPerson;
  let benPage: Page;

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    ben = await signUp(sandbox.urls.cognito, sandbox.clientId, "Ben");
    ann = newPerson("Ann");
    annPage = await openPage(browser);
    await signUpInBrowser(annPage, sandbox.urls.web, ann);
    benPage = await openPage(browser);
    await signInInBrowser(benPage, sandbox.urls.web, ben.email);
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  const api = (body: Record<string, unknown>) => post(sandbox.urls.api, ben.token, body);
  const benSays = async (channelId: string, text: string) => expect((await api({ type: "message_sent", channelId, messageId: randomUUID(), text })).status).to.equal(202);

  /** Ann creates a channel in her browser; Ben joins it and opens it in his. */
  async function sharedChannel(name: string): Promise<string> {
    await createChannel(annPage, name);
    const channelId = openChannelId(annPage);
    expect((await api({ type: "user_joined_channel", channelId })).status).to.equal(202);
    await sidebarLink(benPage, name).click();
    await benPage.getByRole("heading", { level: 1, name }).waitFor();
    return channelId;
  }

  it("renames a channel and sets its topic, seen at once by another member and after a reload", async () => {
    await sharedChannel("budget");
    await annPage.getByRole("button", { name: "Edit channel" }).click();
    const dialog = annPage.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Name" }).fill("Plans Q3");
    expect(await dialog.getByRole("textbox", { name: "Name" }).inputValue()).to.equal("plans-q3");
    await dialog.getByRole("textbox", { name: "Topic" }).fill("What we spend in the autumn");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    await benPage.getByRole("heading", { level: 1, name: "plans-q3" }).waitFor({ timeout: 10_000 });
    await benPage.getByText("What we spend in the autumn", { exact: true }).first().waitFor();
    await sidebarLink(benPage, "plans-q3").waitFor();
    await benPage.getByRole("separator", { name: "Ann renamed the channel to #plans-q3" }).waitFor();
    await benPage.reload();
    await benPage.getByRole("heading", { level: 1, name: "plans-q3" }).waitFor();
    await sidebarLink(benPage, "plans-q3").waitFor();
  });

  it("changes one's display name, refusing a blank one, and old messages show the new name in other browsers", async () => {
    await sharedChannel("names");
    await send(annPage, "a message from before the rename");
    await message(benPage, "a message from before the rename").filter({ hasText: "Ann" }).waitFor();
    await annPage.getByRole("button", { name: /Edit profile/ }).click();
    const dialog = annPage.getByRole("dialog", { name: "Edit profile" });
    const posts: string[] = [];
    annPage.on("request", (r) => r.method() === "POST" && posts.push(r.postData() ?? ""));
    await dialog.getByRole("textbox", { name: "Display name" }).fill("   ");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.getByRole("alert").waitFor();
    expect(posts).to.deep.equal([]);
    await dialog.getByRole("textbox", { name: "Display name" }).fill("Annabel Lee");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    await message(benPage, "a message from before the rename").filter({ hasText: "Annabel Lee" }).waitFor({ timeout: 10_000 });
    await message(annPage, "a message from before the rename").filter({ hasText: "Annabel Lee" }).waitFor();
  });

  it("lets the creator remove someone, and the removed person's page lets go of the channel", async () => {
    await sharedChannel("lobby");
    await sharedChannel("inner-circle");
    await annPage.getByRole("button", { name: /member/ }).click();
    await annPage.getByRole("button", { name: "Remove Ben" }).click();
    await annPage.getByRole("dialog", { name: "Remove Ben" }).getByRole("button", { name: "Remove" }).click();
    await benPage.getByRole("alert").filter({ hasText: "removed you from #inner-circle" }).waitFor({ timeout: 10_000 });
    await sidebarLink(benPage, "inner-circle").waitFor({ state: "detached" });
    await benPage.getByRole("heading", { level: 1, name: "inner-circle" }).waitFor({ state: "detached" });
    await benPage.getByRole("heading", { level: 1 }).waitFor();
    await annPage.keyboard.press("Escape");
  });

  it("keeps read state on the server: read in one browser, the unread count and the Mentions badge go in the other", async () => {
    await sharedChannel("quiet");
    const channelId = await sharedChannel("news");
    const annToo = await openPage(browser);
    await signInInBrowser(annToo, sandbox.urls.web, ann.email);
    await sidebarLink(annPage, "quiet").click();
    await sidebarLink(annToo, "quiet").click();
    const firstName = (await annPage.locator(".me-name").textContent())!.trim().split(" ")[0]!.toLowerCase();
    await benSays(channelId, `@${firstName} the report is out`);
    await benSays(channelId, "second news");
    for (const page of [annPage, annToo]) {
      await page.locator(`#unread-${channelId}`).waitFor({ state: "attached", timeout: 10_000 });
      await page.locator("#unseen-mentions").waitFor({ state: "attached", timeout: 20_000 });
    }
    await sidebarLink(annPage, "news").click();
    await message(annPage, "second news").waitFor();
    await annPage.waitForTimeout(1500); // the mark is sent a moment after it moves
    await annToo.evaluate("window.dispatchEvent(new Event('focus'))");
    await annToo.locator(`#unread-${channelId}`).waitFor({ state: "detached", timeout: 10_000 });
    await annToo.locator("#unseen-mentions").waitFor({ state: "detached", timeout: 10_000 });
    await annToo.reload();
    await sidebarLink(annToo, "news").waitFor();
    await annToo.waitForTimeout(1000);
    expect(await annToo.locator(`#unread-${channelId}`).count()).to.equal(0);
    expect(await annToo.locator("#unseen-mentions").count()).to.equal(0);
    await annToo.context().close();
  });

  it("opens a channel with many unread messages at a New line above the first, with Jump to first unread", async () => {
    const channelId = await sharedChannel("busy");
    await benSays(channelId, "read before");
    await message(annPage, "read before").waitFor();
    await annPage.waitForTimeout(1500);
    await annPage.getByRole("link", { name: "Mentions" }).click();
    for (let i = 0; i < 120; i++) await benSays(channelId, `unread number ${i}`);
    await annPage.locator(`#unread-${channelId}`).filter({ hasText: "120 unread messages" }).waitFor({ state: "attached", timeout: 20_000 });
    await sidebarLink(annPage, "busy").click();
    const line = messages(annPage).getByRole("separator", { name: "New" });
    await line.waitFor({ timeout: 15_000 });
    await message(annPage, "unread number 0").waitFor();
    await annPage.waitForTimeout(300);
    expect(await inMessagesView(line)).to.equal(true);
    expect(await inMessagesView(message(annPage, "unread number 0"))).to.equal(true);
    expect(await inMessagesView(message(annPage, "unread number 119"))).to.equal(false);
    const jump = annPage.getByRole("button", { name: "Jump to first unread" });
    expect(await jump.count()).to.equal(0);
    // In-page code (the tests have no DOM types).
    await annPage.locator(".messages-scroll").evaluate((el: any) => void (el.scrollTop = el.scrollHeight));
    await jump.waitFor();
    await jump.click();
    await annPage.waitForTimeout(200);
    expect(await inMessagesView(line)).to.equal(true);
  });

  it("shows who joined and left between the messages after a reload, without counting them as messages", async () => {
    const channelId = await sharedChannel("comings");
    await send(annPage, "hello all");
    const cy = await signUp(sandbox.urls.cognito, sandbox.clientId, "Cy");
    expect((await post(sandbox.urls.api, cy.token, { type: "user_joined_channel", channelId })).status).to.equal(202);
    expect((await post(sandbox.urls.api, cy.token, { type: "user_left_channel", channelId })).status).to.equal(202);
    await annPage.getByRole("separator", { name: "Cy left" }).waitFor({ timeout: 10_000 });
    await annPage.reload();
    await message(annPage, "hello all").waitFor();
    await annPage.getByRole("separator", { name: "Ben joined" }).waitFor();
    await annPage.getByRole("separator", { name: "Cy joined" }).waitFor();
    await annPage.getByRole("separator", { name: "Cy left" }).waitFor();
    expect(await messages(annPage).getByRole("listitem").count()).to.equal(1);
  });
});
