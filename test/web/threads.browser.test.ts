/**
 * Threads in a real browser (CONTRACT §8, §9): two people reply in a thread beside the
 * channel, each seeing the other's replies, edits and the "N replies" summary without a
 * reload; a reply that names someone is in their Mentions and leads into its thread; a
 * reload keeps the thread open. The steps build on each other.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { message, messages, send, startBrowserSuite, stopBrowserSuite, twoInAChannel } from "../support/browser";

const thread = (page: Page) => page.getByRole("region", { name: "Thread" });
const replies = (page: Page) => thread(page).getByRole("list", { name: "Replies" });
const reply = (page: Page, text: string) => replies(page).getByRole("listitem").filter({ hasText: text });

async function sendReply(page: Page, text: string): Promise<void> {
  const box = thread(page).getByRole("textbox", { name: "Reply" });
  await box.fill(text);
  await box.press("Enter");
  await reply(page, text).waitFor();
}

describe("web app in a browser: threads", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let ann: Page;
  let ben: Page;

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    ({ ann, ben } = await twoInAChannel(browser, sandbox, "lunch", "Who is in for lunch?"));
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("opens a thread beside the channel from 'Reply in thread' and sends a reply there, not among the channel's messages", async () => {
    await message(ben, "Who is in for lunch?").getByRole("button", { name: "Reply in thread" }).click();
    await thread(ben).waitFor();
    expect(new URL(ben.url()).pathname).to.match(/^\/c\/[0-9a-f-]{36}\/t\/[0-9a-f-]{36}$/);
    await thread(ben).getByText("Who is in for lunch?").waitFor();
    await sendReply(ben, "Count me in");
    await reply(ben, "Count me in").filter({ hasText: "Ben" }).waitFor();
    expect(await message(ben, "Count me in").count()).to.equal(0);
    // The channel stays on screen beside the thread.
    await messages(ben).waitFor();
  });

  it("shows '1 reply' on the message for the other person without a reload, opening the same thread", async () => {
    const summary = message(ann, "Who is in for lunch?").getByRole("button", { name: /^1 reply/ });
    await summary.waitFor({ timeout: 5000 });
    expect(await message(ann, "Count me in").count()).to.equal(0);
    await summary.click();
    await reply(ann, "Count me in").filter({ hasText: "Ben" }).waitFor({ timeout: 5000 });
  });

  it("shows a reply to the other person in the open thread without a reload, and counts it on the message", async () => {
    await sendReply(ann, "Great, see you\nat the usual place");
    await reply(ben, "at the usual place").filter({ hasText: "Ann" }).waitFor({ timeout: 5000 });
    expect(await reply(ann, "at the usual place").innerText()).to.contain("Great, see you\nat the usual place");
    await message(ben, "Who is in for lunch?").getByRole("button", { name: /^2 replies/ }).waitFor({ timeout: 5000 });
  });

  it("offers edit and delete on one's own replies only, and shows an edit to the other person", async () => {
    expect(await reply(ben, "Great, see you").getByRole("button", { name: "Edit message" }).count()).to.equal(0);
    await reply(ben, "Count me in").getByRole("button", { name: "Edit message" }).click();
    await thread(ben).getByRole("textbox", { name: "Edit message" }).fill("Count me in, at noon");
    await thread(ben).getByRole("button", { name: "Save" }).click();
    await reply(ann, "Count me in, at noon").filter({ hasText: "(edited)" }).waitFor({ timeout: 5000 });
  });

  it("keeps the thread open across a reload", async () => {
    await ann.reload();
    await reply(ann, "Count me in, at noon").waitFor({ timeout: 10_000 });
    await reply(ann, "at the usual place").waitFor();
    await message(ann, "Who is in for lunch?").waitFor();
  });

  it("closes the thread, leaving the channel", async () => {
    await thread(ann).getByRole("button", { name: "Close thread" }).click();
    await thread(ann).waitFor({ state: "detached" });
    expect(new URL(ann.url()).pathname).to.match(/^\/c\/[0-9a-f-]{36}$/);
    await message(ann, "Who is in for lunch?").waitFor();
  });

  it("lists a reply that names someone in their Mentions, with a way into its thread", async () => {
    await sendReply(ben, "@ann I booked a table");
    await ann.getByRole("link", { name: "Mentions" }).click();
    const mention = ann.getByRole("list", { name: "Mentions" }).getByRole("listitem").filter({ hasText: "@ann I booked a table" });
    // The mentions list is read again a moment after the push (the projection lags it).
    await mention.waitFor({ timeout: 20_000 });
    await mention.getByRole("link", { name: "Open thread" }).click();
    await reply(ann, "@ann I booked a table").waitFor({ timeout: 5000 });
    await reply(ann, "Count me in, at noon").waitFor();
  });
});
