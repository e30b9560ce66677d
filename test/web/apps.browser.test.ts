/**
 * Apps and incoming webhooks in a real browser (CONTRACT §8, §13), by accessible names: Ann
 * creates an app in "Apps" and sees its token once (and copies it); adds a webhook for her
 * channel and sees its URL once with a curl line; a tool posts Slack's payload to the URL and
 * the message appears in the channel as the app's, its mrkdwn rendered, marked APP; she
 * revokes the app and the URL answers 404.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { createChannel, message, newPerson, send, signUpInBrowser, startBrowserSuite, stopBrowserSuite } from "../support/browser";

describe("web app in a browser: apps and incoming webhooks", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let ann: Page;
  let token: string;
  let url: string;

  const appsDialog = () => ann.getByRole("dialog", { name: "Apps" });
  const openApps = async () => {
    await ann.getByRole("button", { name: "Apps", exact: true }).click();
    await appsDialog().waitFor();
    return appsDialog();
  };
  const closeApps = async () => {
    await appsDialog().getByRole("button", { name: "Close", exact: true }).click();
    await appsDialog().waitFor({ state: "detached" });
  };
  const appItem = () => appsDialog().getByRole("list", { name: "Your apps" }).getByRole("listitem", { name: "Deploy Bot" });
  const postToHook = async (text: string) => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
    return { status: response.status, body: await response.text() };
  };

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: sandbox.urls.web });
    ann = await context.newPage();
    await signUpInBrowser(ann, sandbox.urls.web, newPerson("Ann"));
    await createChannel(ann, "deploys");
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("creates an app and shows its token once, in a read-only textbox with Copy token", async () => {
    const dialog = await openApps();
    await dialog.getByText("No apps yet").waitFor();
    await dialog.getByRole("button", { name: "Create app" }).click();
    expect(await dialog.getByRole("alert").innerText()).to.match(/name/i);
    // The server's own refusal, in its words: an invisible character in the name.
    await dialog.getByRole("textbox", { name: "App name" }).fill("Deploy\u200bBot");
    await dialog.getByRole("button", { name: "Create app" }).click();
    await dialog.getByRole("alert").filter({ hasText: "invisible" }).waitFor();
    expect(await dialog.getByRole("alert").innerText()).to.not.match(/invalid_field|_/);
    await dialog.getByRole("textbox", { name: "App name" }).fill("Deploy Bot");
    await dialog.getByRole("button", { name: "Create app" }).click();
    const tokenBox = dialog.getByRole("textbox", { name: "Token" });
    await tokenBox.waitFor();
    token = await tokenBox.inputValue();
    expect(token).to.match(/^xoxb-[A-Za-z0-9_-]{43}$/);
    expect(await tokenBox.getAttribute("readonly")).to.not.equal(null);
    await dialog.getByText("it will not be shown again").waitFor();
    await dialog.getByRole("button", { name: "Copy token" }).click();
    await dialog.getByText("Copied.").waitFor();
    expect(await ann.evaluate("navigator.clipboard.readText()")).to.equal(token);
    await appItem().waitFor();
  });

  it("lists the app again on reopening, without its token", async () => {
    await closeApps();
    const dialog = await openApps();
    await appItem().waitFor();
    expect(await dialog.getByRole("textbox", { name: "Token" }).count()).to.equal(0);
    expect(await dialog.innerText()).to.not.include(token.slice(5));
  });

  it("adds a webhook for a channel she is in: its URL once, with Copy URL and a curl line", async () => {
    const item = appItem();
    await item.getByRole("button", { name: "Add webhook" }).click();
    await item.getByRole("button", { name: "Create webhook" }).click();
    expect(await item.getByRole("alert").innerText()).to.match(/channel/i);
    await item.getByRole("combobox", { name: "Channel" }).selectOption({ label: "#deploys" });
    await item.getByRole("button", { name: "Create webhook" }).click();
    const urlBox = item.getByRole("textbox", { name: "Webhook URL" });
    await urlBox.waitFor();
    url = await urlBox.inputValue();
    expect(url).to.match(new RegExp(`^${sandbox.urls.api}/hooks/[0-9a-f-]{36}/[A-Za-z0-9_-]{43}$`));
    await item.getByRole("button", { name: "Copy URL" }).waitFor();
    const curl = await item.getByRole("textbox", { name: "curl example" }).inputValue();
    expect(curl).to.match(/^curl /).and.include(`'${url}'`).and.include(`-d '{"text":`);
    await item.getByRole("list", { name: "Webhooks of Deploy Bot" }).getByRole("listitem").filter({ hasText: "#deploys" }).waitFor();
  });

  it("shows what a tool posts to the URL in the channel as the app's message: mrkdwn rendered, never HTML, marked APP", async () => {
    await closeApps();
    expect(await postToHook("*deployed* v1.2")).to.deep.equal({ status: 200, body: "ok" });
    const posted = message(ann, "deployed v1.2");
    await posted.waitFor({ timeout: 10_000 });
    await posted.locator("strong", { hasText: /^deployed$/ }).waitFor();
    expect(await posted.locator(".message-text").innerText()).to.equal("deployed v1.2");
    await posted.getByText("Deploy Bot", { exact: true }).waitFor();
    await posted.getByText("APP", { exact: true }).waitFor({ timeout: 10_000 });
    expect(await postToHook("<b>not bold</b> <img src=x>")).to.deep.equal({ status: 200, body: "ok" });
    const raw = message(ann, "not bold");
    await raw.waitFor({ timeout: 10_000 });
    expect(await raw.locator("b, img").count(), "text is never HTML").to.equal(0);
    await send(ann, "thanks, bot");
    expect(await message(ann, "thanks, bot").getByText("APP", { exact: true }).count(), "a person's message has no APP badge").to.equal(0);
  });

  it("revokes the app after asking: gone from the list, and its webhook's URL answers 404", async () => {
    await openApps();
    await appItem().getByRole("button", { name: "Revoke" }).click();
    const confirm = ann.getByRole("dialog", { name: "Revoke Deploy Bot" });
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await confirm.waitFor({ state: "detached" });
    await appsDialog().getByText("No apps yet").waitFor();
    const deadline = Date.now() + 10_000;
    let answer = await postToHook("after the revoke");
    while (answer.status !== 404 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      answer = await postToHook("after the revoke");
    }
    expect(answer.status).to.equal(404);
  });
});
