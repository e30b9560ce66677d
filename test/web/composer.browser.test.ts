/**
 * The message box as a Slack user expects it, in a real browser: `@` autocomplete and
 * mentions of me highlighted, drafts kept per channel and across a reload, Up to edit
 * one's last message, focus back where it was after an edit, delete only after asking,
 * and a counter near the 40,000-character limit.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { createChannel, hasFocus, message, newPerson, openPage, send, sidebarLink, signUpInBrowser, startBrowserSuite, stopBrowserSuite } from "../support/browser";

describe("web app in a browser: the message box", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let ann: Page;
  let ben: Page;
  const box = (page: Page) => page.getByRole("textbox", { name: "Message" });

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    ann = await openPage(browser);
    ben = await openPage(browser);
    await signUpInBrowser(ann, sandbox.urls.web, newPerson("Ann"));
    await signUpInBrowser(ben, sandbox.urls.web, { ...newPerson("Ben"), name: "Ben Okafor" });
    await createChannel(ann, "team");
    await ben.getByRole("button", { name: "Browse channels" }).click();
    await ben.getByRole("link", { name: "team" }).click();
    await ben.getByRole("button", { name: "Join channel" }).click();
    await sidebarLink(ben, "team").waitFor();
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("offers the people an @ matches, and Enter inserts the name without spaces", async () => {
    await box(ann).click();
    await box(ann).pressSequentially("Hello @be");
    const people = ann.getByRole("listbox", { name: "People" });
    await people.getByRole("option", { name: "Ben Okafor" }).waitFor();
    expect(await people.getByRole("option", { name: "Ann" }).count()).to.equal(0);
    await box(ann).press("Enter");
    expect(await box(ann).inputValue()).to.equal("Hello @BenOkafor ");
    await people.waitFor({ state: "detached" });
    await box(ann).pressSequentially("can you look?");
    await box(ann).press("Enter");
    await message(ann, "Hello @BenOkafor can you look?").waitFor();
  });

  it("inserts the option clicked, and closes the list on Escape", async () => {
    await box(ann).pressSequentially("@o");
    await ann.getByRole("option", { name: "Ben Okafor" }).click();
    expect(await box(ann).inputValue()).to.equal("@BenOkafor ");
    await box(ann).pressSequentially("and @b");
    await ann.getByRole("option", { name: "Ben Okafor" }).waitFor();
    await box(ann).press("Escape");
    await ann.getByRole("listbox", { name: "People" }).waitFor({ state: "detached" });
    await box(ann).fill("");
  });

  it("highlights the mentions of me in a message's text", async () => {
    await send(ann, "@BenOkafor and @ann, see the highlight");
    const seen = message(ben, "see the highlight");
    await seen.waitFor({ timeout: 10_000 });
    expect(await seen.locator(".mention.is-me").allTextContents()).to.deep.equal(["@BenOkafor"]);
    expect(await message(ann, "see the highlight").locator(".mention.is-me").allTextContents()).to.deep.equal(["@ann"]);
  });

  it("keeps what was typed per channel, also across a reload", async () => {
    await box(ann).fill("half a thought");
    await createChannel(ann, "side");
    expect(await box(ann).inputValue()).to.equal("");
    await box(ann).fill("another draft");
    await sidebarLink(ann, "team").click();
    await ann.getByRole("heading", { level: 1, name: "team" }).waitFor();
    expect(await box(ann).inputValue()).to.equal("half a thought");
    await ann.reload();
    await box(ann).waitFor();
    expect(await box(ann).inputValue()).to.equal("half a thought");
    await sidebarLink(ann, "side").click();
    await ann.getByRole("heading", { level: 1, name: "side" }).waitFor();
    expect(await box(ann).inputValue()).to.equal("another draft");
    await box(ann).fill("");
    await sidebarLink(ann, "team").click();
    await box(ann).fill("");
  });

  it("edits one's last message with Up in the empty box, and Escape gives focus back to the box", async () => {
    await send(ann, "my last words");
    await send(ben, "but not the last here");
    await message(ann, "but not the last here").waitFor({ timeout: 10_000 });
    await box(ann).press("ArrowUp");
    const edit = ann.getByRole("textbox", { name: "Edit message" });
    await edit.waitFor();
    expect(await edit.inputValue()).to.equal("my last words");
    expect(await hasFocus(edit)).to.equal(true);
    await edit.press("Escape");
    await edit.waitFor({ state: "detached" });
    expect(await hasFocus(box(ann))).to.equal(true);
  });

  it("gives focus back to the message's Edit message button after Escape or Save", async () => {
    const mine = message(ann, "my last words");
    await mine.hover();
    await mine.getByRole("button", { name: "Edit message" }).click();
    const edit = ann.getByRole("textbox", { name: "Edit message" });
    await edit.press("Escape");
    await edit.waitFor({ state: "detached" });
    expect(await hasFocus(mine.getByRole("button", { name: "Edit message" }))).to.equal(true);
    await mine.getByRole("button", { name: "Edit message" }).press("Enter");
    await edit.fill("my very last words");
    await edit.press("Enter");
    await message(ann, "my very last words").filter({ hasText: "(edited)" }).waitFor({ timeout: 10_000 });
    expect(await hasFocus(message(ann, "my very last words").getByRole("button", { name: "Edit message" }))).to.equal(true);
  });

  it("asks before deleting; Cancel keeps the message and gives focus back", async () => {
    await send(ann, "a message to delete");
    await message(ben, "a message to delete").waitFor({ timeout: 10_000 });
    const mine = message(ann, "a message to delete");
    await mine.hover();
    await mine.getByRole("button", { name: "Delete message" }).click();
    const dialog = ann.getByRole("dialog", { name: "Delete message" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await hasFocus(mine.getByRole("button", { name: "Delete message" }))).to.equal(true);
    await ann.waitForTimeout(500);
    expect(await message(ben, "This message was deleted").count()).to.equal(0);
    await mine.getByRole("button", { name: "Delete message" }).click();
    await dialog.getByRole("button", { name: "Delete" }).click();
    await message(ben, "This message was deleted").waitFor({ timeout: 10_000 });
    expect(await message(ben, "a message to delete").count()).to.equal(0);
  });

  it("counts down near the 40,000-character limit and refuses to send past it", async () => {
    await box(ann).fill("x".repeat(39_500));
    await ann.getByText("500 characters left").waitFor();
    await box(ann).fill("y".repeat(40_001));
    await ann.getByText("1 character over the limit").waitFor();
    await box(ann).press("Enter");
    await ann.getByRole("alert").filter({ hasText: "This message is too long" }).waitFor();
    expect(await box(ann).inputValue()).to.have.length(40_001);
    expect(await message(ann, "yyyy").count()).to.equal(0);
    await box(ann).fill("short again");
    await ann.getByRole("alert").filter({ hasText: "This message is too long" }).waitFor({ state: "detached" });
    await box(ann).fill("");
  });
});
