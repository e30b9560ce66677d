/**
 * Dialogs and people, in a real browser: "Add someone" offers whoever signed up since the
 * page opened (a searchable picker), dialogs focus what one came for and give focus back
 * to their opener, a channel name is slugged as typed, and a mention from a channel one
 * is not in names that channel.
 */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { post, signUp, view } from "../support/chatApi";
import { hasFocus, newPerson, openPage, signInInBrowser, signUpInBrowser, startBrowserSuite, stopBrowserSuite } from "../support/browser";

describe("web app in a browser: dialogs and people", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    page = await openPage(browser);
    await signUpInBrowser(page, sandbox.urls.web, newPerson("Ann"));
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("focuses the search of Browse channels, and gives focus back to the button on Escape", async () => {
    const opener = page.getByRole("button", { name: "Browse channels" });
    await opener.click();
    const search = page.getByRole("dialog").getByRole("searchbox", { name: "Search channels" });
    await search.waitFor();
    expect(await hasFocus(search)).to.equal(true);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    expect(await hasFocus(opener)).to.equal(true);
  });

  it("makes \"My Channel\" my-channel as it is typed, and gives focus back on Escape", async () => {
    const opener = page.getByRole("button", { name: "Create channel" });
    await opener.click();
    const name = page.getByRole("dialog").getByRole("textbox", { name: "Name" });
    expect(await hasFocus(name)).to.equal(true);
    await name.pressSequentially("My Channel");
    expect(await name.inputValue()).to.equal("my-channel");
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    expect(await hasFocus(opener)).to.equal(true);
  });

  it("offers, in Add someone, a person who signed up after the page opened, and adds them", async () => {
    await page.getByRole("button", { name: "Create channel" }).click();
    const create = page.getByRole("dialog");
    await create.getByRole("textbox", { name: "Name" }).fill("secret");
    await create.getByRole("checkbox", { name: "Private" }).check();
    await create.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { level: 1, name: "secret" }).waitFor();
    const [dan] = await Promise.all([signUp(sandbox.urls.cognito, sandbox.clientId, "Dan"), signUp(sandbox.urls.cognito, sandbox.clientId, "Dora")]);
    await sandbox.bus.idle();
    const users = async () => ((await view(sandbox.urls.api, dan!.token, "users")).body?.users ?? []) as { name: string }[];
    for (let i = 0; i < 100 && (await users()).filter((u) => u.name.startsWith("D")).length < 2; i++) await new Promise((r) => setTimeout(r, 100));

    const opener = page.getByRole("button", { name: "1 member" });
    await opener.click();
    const dialog = page.getByRole("dialog");
    const picker = dialog.getByRole("combobox", { name: "Add someone" });
    await picker.click();
    await picker.pressSequentially("d");
    const options = dialog.getByRole("listbox", { name: "Add someone" }).getByRole("option");
    await dialog.getByRole("option", { name: "Dora" }).waitFor();
    expect(await options.count()).to.equal(2);
    expect(await dialog.getByRole("option", { name: "Dan" }).count()).to.equal(1);
    await picker.pressSequentially("a");
    await dialog.getByRole("option", { name: "Dora" }).waitFor({ state: "detached" });
    expect(await options.count()).to.equal(1);
    await picker.fill("");
    await picker.pressSequentially("d");
    await picker.press("ArrowDown");
    expect(await dialog.getByRole("option", { name: "Dora" }).getAttribute("aria-selected")).to.equal("true");
    expect(await picker.getAttribute("aria-activedescendant")).to.equal(await dialog.getByRole("option", { name: "Dora" }).getAttribute("id"));
    await picker.press("ArrowUp");
    await picker.press("Enter");
    expect(await picker.inputValue()).to.equal("Dan");
    await dialog.getByRole("button", { name: "Add" }).click();
    await dialog.getByRole("list", { name: "Members" }).getByText("Dan").waitFor({ timeout: 10_000 });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await hasFocus(page.getByRole("button", { name: "2 members" }))).to.equal(true);
  });

  it("names the channel of a mention from a channel one is not in", async () => {
    const [cara, eli] = await Promise.all([signUp(sandbox.urls.cognito, sandbox.clientId, "Cara"), signUp(sandbox.urls.cognito, sandbox.clientId, "Eli")]);
    const channelId = randomUUID();
    expect((await post(sandbox.urls.api, cara.token, { type: "channel_created", channelId, name: "lobby" })).status).to.equal(202);
    expect((await post(sandbox.urls.api, eli.token, { type: "user_joined_channel", channelId })).status).to.equal(202);
    await sandbox.bus.idle();
    expect((await post(sandbox.urls.api, cara.token, { type: "message_sent", channelId, messageId: randomUUID(), text: "@eli the lobby needs you" })).status).to.equal(202);
    expect((await post(sandbox.urls.api, eli.token, { type: "user_left_channel", channelId })).status).to.equal(202);
    await sandbox.bus.idle();
    const mentions = async () => ((await view(sandbox.urls.api, eli.token, "users/me/mentions")).body?.mentions ?? []) as unknown[];
    for (let i = 0; i < 100 && (await mentions()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));

    const eliPage = await openPage(browser);
    await signInInBrowser(eliPage, sandbox.urls.web, eli.email);
    await eliPage.getByRole("link", { name: "Mentions" }).click();
    const list = eliPage.getByRole("list", { name: "Mentions" });
    await list.getByText("@eli the lobby needs you").waitFor({ timeout: 10_000 });
    await list.getByRole("link", { name: "#lobby" }).waitFor();
    await eliPage.context().close();
  });
});
