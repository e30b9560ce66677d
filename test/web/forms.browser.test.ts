/**
 * The forms and the message list in a real browser: refusals explained, channel names
 * checked like the server does, the composer's keys, a send the server cannot take yet
 * retried by itself with the same Idempotency-Key, and history loaded as the reader scrolls up.
 */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { post, signUp, view } from "../support/chatApi";
import { createChannel, message, messages, newPerson, startBrowserSuite, stopBrowserSuite } from "../support/browser";

describe("web app in a browser: forms and history", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  const cara = newPerson("Cara");

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("refuses a weak password, then signs up", async () => {
    await page.goto(sandbox.urls.web);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("textbox", { name: "Email" }).fill(cara.email);
    await page.getByRole("textbox", { name: "Name" }).fill(cara.name);
    await page.getByRole("textbox", { name: "Password" }).fill("short");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("alert").filter({ hasText: "That password is too weak" }).waitFor();
    await page.getByRole("textbox", { name: "Password" }).fill(cara.password);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
  });

  it("refuses a name of only spaces at sign-up, saying so, without sending anything", async () => {
    const toCognito: string[] = [];
    const record = (request: { url(): string }) => (request.url().startsWith(sandbox.urls.cognito) ? toCognito.push(request.url()) : undefined);
    page.on("request", record);
    try {
      await page.getByRole("button", { name: "Sign up" }).click();
      await page.getByRole("textbox", { name: "Email" }).fill(newPerson("Blank").email);
      await page.getByRole("textbox", { name: "Name" }).fill("   ");
      await page.getByRole("textbox", { name: "Password" }).fill(cara.password);
      await page.getByRole("button", { name: "Sign up" }).click();
      await page.getByRole("alert").filter({ hasText: "Enter your name: it can't be only spaces." }).waitFor();
      expect(toCognito).to.deep.equal([]);
    } finally {
      page.off("request", record);
    }
    await page.getByRole("button", { name: "Sign in" }).click();
  });

  it("says when an account with the email already exists", async () => {
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("textbox", { name: "Email" }).fill(cara.email);
    await page.getByRole("textbox", { name: "Name" }).fill("Another Cara");
    await page.getByRole("textbox", { name: "Password" }).fill(cara.password);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("alert").filter({ hasText: "An account with this email already exists" }).waitFor();
  });

  it("says when the password is wrong, then signs in", async () => {
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("textbox", { name: "Email" }).fill(cara.email);
    await page.getByRole("textbox", { name: "Password" }).fill("Wrong-Password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Incorrect email or password." }).waitFor();
    await page.getByRole("textbox", { name: "Password" }).fill(cara.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
  });

  it("checks a channel name as the server does, and shows the server's refusal of a taken one", async () => {
    await createChannel(page, "design");
    await page.getByRole("button", { name: "Create channel" }).click();
    const dialog = page.getByRole("dialog");
    const name = dialog.getByRole("textbox", { name: "Name" });
    await name.fill("design.team");
    await dialog.getByText("Names can only contain lowercase letters, digits, hyphens and underscores.").waitFor();
    await dialog.getByRole("button", { name: "Create" }).click();
    expect(await name.getAttribute("aria-invalid")).to.equal("true");
    await name.fill("design");
    await dialog.getByRole("button", { name: "Create" }).click();
    await dialog.getByRole("alert").filter({ hasText: 'A channel named "design" already exists.' }).waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
  });

  it("sends with Enter and starts a new line with Shift+Enter", async () => {
    const box = page.getByRole("textbox", { name: "Message" });
    await box.click();
    await box.pressSequentially("first line");
    await box.press("Shift+Enter");
    await box.pressSequentially("second line");
    expect(await box.inputValue()).to.equal("first line\nsecond line");
    await box.press("Enter");
    await message(page, "second line").waitFor();
    expect(await box.inputValue()).to.equal("");
    expect(await message(page, "first line").count()).to.equal(1);
  });

  it("sends a message again by itself while the server answers 503, with the same Idempotency-Key, never showing it as failed", async () => {
    const keys: string[] = [];
    let failures = 3;
    await page.route("**/api/events", async (route) => {
      keys.push(route.request().headers()["idempotency-key"] ?? "");
      if (failures-- > 0) return route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message: "Try again later." } }) });
      return route.continue();
    });
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("through a flaky network");
    await box.press("Enter");
    const sent = message(page, "through a flaky network");
    await sent.getByText("Sending…").waitFor({ state: "detached", timeout: 15_000 });
    await page.unroute("**/api/events");
    expect(await sent.getByText("Not sent").count()).to.equal(0);
    expect(keys).to.have.length(4);
    expect(new Set(keys).size).to.equal(1);
    expect(await message(page, "through a flaky network").count()).to.equal(1);
  });

  it("opens a long channel on its latest messages and loads earlier ones as the reader scrolls up", async function () {
    // A hundred posts through the sandbox: slow on a loaded 2-core machine, so more time, not less checking.
    this.timeout(180_000);
    // Two authors, so that a hundred messages stay within each one's burst allowance.
    const [dan, eve] = await Promise.all([signUp(sandbox.urls.cognito, sandbox.clientId, "Dan"), signUp(sandbox.urls.cognito, sandbox.clientId, "Eve")]);
    const created = await post(sandbox.urls.api, dan.token, { type: "channel_created", name: "history" });
    const channelId = (created.body.stream as string).replace("channel-", "");
    expect((await post(sandbox.urls.api, eve.token, { type: "user_joined_channel", channelId })).status).to.equal(202);
    for (let i = 0; i < 100; i++) {
      const author = i % 2 ? eve : dan;
      const answer = await post(sandbox.urls.api, author.token, { type: "message_sent", channelId, messageId: randomUUID(), text: `${author.name} says ${i}` });
      expect(answer.status).to.equal(202);
    }
    await sandbox.bus.idle();
    const pageOf = async (n: number) => (await view(sandbox.urls.api, dan.token, `channels/${channelId}/pages/${n}`)).body.messages as { text: string }[];
    const [oldest, newest] = [(await pageOf(0))[0]!.text, (await pageOf(1))[49]!.text];
    await page.goto(`${sandbox.urls.web}/c/${channelId}`);
    await message(page, newest).waitFor({ timeout: 60_000 });
    expect(await messages(page).getByRole("listitem").count()).to.equal(50);
    expect(await message(page, oldest).count()).to.equal(0);
    await messages(page).hover();
    for (let i = 0; i < 20 && (await message(page, oldest).count()) === 0; i++) await page.mouse.wheel(0, -3000);
    await message(page, oldest).waitFor();
    expect(await messages(page).getByRole("listitem").count()).to.equal(100);
  });
});
