/**
 * The first thirty minutes of a Slack user, the rough parts, in Debian's Chromium against
 * the whole sandbox: an outage recovered from by itself, views that cannot be read, leaving
 * a private channel, and refusals (a message too long, an edit refused) said plainly and
 * kept for the person to retry.
 */
import { expect } from "chai";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { view } from "../support/chatApi";
import { createChannel, message, messages, newPerson, type Person, send, signUpInBrowser, startBrowserSuite, stopBrowserSuite, until } from "../support/browser";
import { type Outage, routeOutage } from "../support/browserOutage";
import { signIn } from "../support/sandboxUsers";

describe("web app in a browser: outages, failures and refusals", function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let outage: Outage;
  const ann: Person = newPerson("Ann");

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    outage = await routeOutage(context, sandbox);
    page = await context.newPage();
    await signUpInBrowser(page, sandbox.urls.web, ann);
    await createChannel(page, "general");
  });

  // A test that failed during the outage must not leave the next ones in it.
  afterEach(async () => {
    outage?.end();
    await page?.unrouteAll({ behavior: "ignoreErrors" });
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  const channelIdOf = (p: Page) => /\/c\/([0-9a-f-]{36})$/.exec(p.url())![1]!;
  const storedTexts = async (channelId: string) => {
    const answer = await view(sandbox.urls.api, await signIn(sandbox, ann.email, ann.password), `channels/${channelId}/pages/0`);
    return answer.status === 200 ? (answer.body.messages as { text: string }[]).map((m) => m.text) : [];
  };

  it("sends a message typed during an outage by itself once the servers are back, and reconnects within seconds", async () => {
    const channelId = channelIdOf(page);
    await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({ state: "detached" });
    outage.start();
    await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({ timeout: 5000 });
    const box = page.getByRole("textbox", { name: "Message" });
    for (const text of ["typed while the servers were down", "and a second one"]) {
      await box.fill(text);
      await box.press("Enter");
    }
    const first = message(page, "typed while the servers were down");
    await first.getByText("Waiting for connection").waitFor({ timeout: 10_000 });
    await message(page, "and a second one").getByText("Waiting for connection").waitFor();
    // Long enough for a backoff without a cap to wait far longer than a few seconds.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    expect(await page.getByText("Not sent").count()).to.equal(0);
    expect(await page.getByRole("button", { name: "Discard" }).count()).to.equal(0);
    const tries = outage.socketAttempts.filter((t) => t > Date.now() - 15_000);
    expect(tries.length, "the socket was tried again every few seconds during the outage").to.be.at.least(3);
    const endedAt = Date.now();
    outage.end();
    await until(() => sandbox.sockets.size > 0, 8000);
    const reconnectedMs = Date.now() - endedAt;
    await messages(page).locator('[aria-busy="true"]').first().waitFor({ state: "detached", timeout: 8000 });
    expect(reconnectedMs).to.be.below(8000);
    let stored: string[] = [];
    for (const deadline = Date.now() + 15_000; stored.length < 2 && Date.now() < deadline; ) stored = await storedTexts(channelId);
    expect(stored).to.deep.equal(["typed while the servers were down", "and a second one"]);
    await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({ state: "detached", timeout: 5000 });
  });

  it("keeps messages typed during an outage across a reload: shown as waiting, then sent by themselves once the servers are back, each stored once, in typed order", async () => {
    const channelId = channelIdOf(page);
    await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({ state: "detached" });
    outage.start();
    await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({ timeout: 5000 });
    const texts = ["typed before a reload", "and typed after it, also before the reload"];
    const box = page.getByRole("textbox", { name: "Message" });
    for (const text of texts) {
      await box.fill(text);
      await box.press("Enter");
    }
    await message(page, texts[1]!).getByText("Waiting for connection").waitFor({ timeout: 10_000 });
    await page.reload();
    for (const text of texts) await message(page, text).getByText("Waiting for connection").waitFor({ timeout: 10_000 });
    expect(await messages(page).getByRole("listitem").filter({ hasText: texts[0]! }).count()).to.equal(1);
    outage.end();
    await messages(page).locator('[aria-busy="true"]').first().waitFor({ state: "detached", timeout: 15_000 });
    let stored: string[] = [];
    const ours = () => stored.filter((t) => texts.includes(t));
    for (const deadline = Date.now() + 15_000; ours().length < 2 && Date.now() < deadline; ) stored = await storedTexts(channelId);
    // A moment more, so a second copy sent by mistake would be in the view too.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    stored = await storedTexts(channelId);
    expect(ours()).to.deep.equal(texts);
    expect(await messages(page).getByRole("listitem").filter({ hasText: texts[0]! }).count()).to.equal(1);
  });

  it("says a 40,001-character message is too long in plain words: the composer before sending, the server's refusal of an edit likewise", async () => {
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill(`${"a".repeat(39_990)} too long!!`);
    await box.press("Enter");
    const said = page.locator(".composer-refusal");
    await said.waitFor();
    expect(await said.textContent()).to.match(/^This message is too long: messages can be at most 40,000 characters\./);
    expect(await messages(page).getByRole("listitem").filter({ hasText: "too long!!" }).count()).to.equal(0);
    await box.fill("");

    await send(page, "short for now");
    const item = message(page, "short for now");
    await item.hover();
    await item.getByRole("button", { name: "Edit message" }).click();
    const edit = page.getByRole("textbox", { name: "Edit message" });
    await edit.fill(`${"a".repeat(39_990)} too long!!`);
    await edit.press("Enter");
    const alert = messages(page).getByRole("alert").filter({ hasText: "Edit not saved" });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.locator("span").textContent()).to.equal("Edit not saved: Message is too long: at most 40,000 characters.");
    await alert.getByRole("button", { name: "Cancel" }).click();
    await message(page, "short for now").waitFor();
  });

  it("keeps a refused edit's text with Retry and Cancel; Retry saves it, Cancel puts the stored text back", async () => {
    await send(page, "a first draft");
    const item = message(page, "a first draft");
    await item.getByText("Sending…").waitFor({ state: "detached" });
    let refuse = true;
    await page.route(
      (url) => url.pathname.endsWith("/api/events"),
      async (route) => {
        const body = route.request().postDataJSON() as { type?: string } | null;
        if (!refuse || body?.type !== "message_edited") return route.fallback();
        await route.fulfill({ status: 403, contentType: "application/json", body: JSON.stringify({ error: { code: "not_author", message: "Only the author can edit a message" } }) });
      },
    );
    const edit = async (from: string, to: string) => {
      const row = message(page, from);
      await row.hover();
      await row.getByRole("button", { name: "Edit message" }).click();
      const editing = messages(page).getByRole("listitem").filter({ has: page.getByRole("textbox", { name: "Edit message" }) });
      await editing.getByRole("textbox", { name: "Edit message" }).fill(to);
      await editing.getByRole("button", { name: "Save" }).click();
    };
    await edit("a first draft", "a better draft");
    const edited = message(page, "a better draft");
    await edited.getByRole("alert").filter({ hasText: "Edit not saved: Only the author can edit a message." }).waitFor({ timeout: 10_000 });
    refuse = false;
    await edited.getByRole("button", { name: "Retry" }).click();
    await edited.getByRole("alert").waitFor({ state: "detached" });
    await edited.getByText("(edited)").waitFor();
    refuse = true;
    await edit("a better draft", "a worse draft");
    const worse = message(page, "a worse draft");
    await worse.getByRole("alert").waitFor({ timeout: 10_000 });
    await worse.getByRole("button", { name: "Cancel" }).click();
    await message(page, "a better draft").waitFor();
    expect(await message(page, "a worse draft").count()).to.equal(0);
    expect(await storedTexts(channelIdOf(page))).to.include("a better draft");
  });

  it("asks before leaving a private channel, then leaves its page", async () => {
    await page.getByRole("button", { name: "Create channel" }).click();
    const create = page.getByRole("dialog");
    await create.getByRole("textbox", { name: "Name" }).fill("secret-plans");
    await create.getByRole("checkbox", { name: "Private" }).check();
    await create.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { level: 1, name: "secret-plans" }).waitFor();
    await page.getByRole("button", { name: "Leave channel" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("cannot rejoin it unless a member adds you").waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(page.url()).to.match(/\/c\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { level: 1, name: "secret-plans" }).waitFor();
    await page.getByRole("button", { name: "Leave channel" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Leave channel" }).click();
    await page.getByRole("heading", { level: 1, name: "general" }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole("heading", { level: 1, name: "secret-plans" }).count()).to.equal(0);
    expect(await page.getByRole("button", { name: "Join channel" }).count()).to.equal(0);
  });

  it("says so when the views cannot be read, instead of no channels and Loading…, and recovers by itself and on Retry", async () => {
    const ben = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const benPage = await ben.newPage();
    let failing = true;
    let refused = 0;
    await benPage.route(
      (url) => url.pathname.endsWith("/api/views/users/me"),
      (route) => {
        if (!failing) return route.fallback();
        refused++;
        return route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "internal", message: "Internal error." } }) });
      },
    );
    await signUpInBrowser(benPage, sandbox.urls.web, newPerson("Ben"));
    const alert = benPage.getByRole("alert").filter({ hasText: "Your channels could not be loaded (the server answered 500)." });
    await alert.waitFor({ timeout: 10_000 });
    expect(await benPage.getByText("You are not in any channel yet").count()).to.equal(0);
    expect(await benPage.getByText("Loading…").count()).to.equal(0);
    failing = false;
    await alert.waitFor({ state: "detached", timeout: 8000 });
    await benPage.getByRole("heading", { name: "Welcome to Chat" }).waitFor();
    // Reloaded while failing: "Retry" reads again at once. Five refusals in, the page waits
    // at least 2 s before its next try by itself, so a read within 1 s is Retry's.
    failing = true;
    refused = 0;
    await benPage.reload();
    await alert.waitFor({ timeout: 10_000 });
    while (refused < 5) await benPage.waitForTimeout(20);
    failing = false;
    const clicked = Date.now();
    await benPage.getByRole("button", { name: "Retry" }).click();
    await alert.waitFor({ state: "detached", timeout: 2000 });
    expect(Date.now() - clicked).to.be.below(1000);
    await ben.close();
  });

  it("says a channel opened offline cannot be loaded, and shows it once it can be read", async () => {
    const channelId = channelIdOf(page);
    let failing = true;
    await page.route(
      (url) => url.pathname.includes(`/api/views/channels/${channelId}`),
      (route) => (failing ? route.abort("internetdisconnected") : route.fallback()),
    );
    await page.reload();
    await page.getByRole("alert").filter({ hasText: "This channel could not be loaded." }).waitFor({ timeout: 10_000 });
    expect(await page.getByText("Loading channel…").count()).to.equal(0);
    failing = false;
    await page.getByRole("heading", { level: 1, name: "general" }).waitFor({ timeout: 8000 });
    await message(page, "a better draft").waitFor();
  });
});
