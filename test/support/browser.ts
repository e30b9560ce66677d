/**
 * Browser tests' helpers: Debian's Chromium driven by playwright-core, the sandbox serving
 * a freshly built web app, and the steps a person takes (sign up, open a channel, send),
 * all by the accessible names of CONTRACT §8.
 */
import { existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { distDir, ensureWebBuilt } from "../../web/build";
import { requirePrerequisite } from "./prerequisites";
import { disposeTestSandbox, startTestSandbox } from "./sandboxFixture";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = () => existsSync(chromiumPath);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** Builds the app if its sources changed, then starts a sandbox serving it. */
export async function startWebSandbox(): Promise<Sandbox> {
  await ensureWebBuilt("error");
  return startTestSandbox({ webRoot: distDir });
}

/**
 * What every browser suite starts with, in its `before` hook: Chromium (a prerequisite:
 * skipped without it, failed under CI), a sandbox serving the web app, and the browser.
 */
export async function startBrowserSuite(ctx: Mocha.Context): Promise<{ sandbox: Sandbox; browser: Browser }> {
  requirePrerequisite(hasChromium(), "Chromium (/usr/bin/chromium)", () => ctx.skip());
  ctx.timeout(180_000);
  const sandbox = await startWebSandbox();
  return { sandbox, browser: await launchBrowser() };
}

/** Its `after` hook: whatever was started, stopped. */
export async function stopBrowserSuite(suite: { browser?: Browser; sandbox?: Sandbox }): Promise<void> {
  await suite.browser?.close();
  await disposeTestSandbox(suite.sandbox);
}

export interface Person {
  name: string;
  email: string;
  password: string;
}

export function newPerson(name: string): Person {
  return { name, email: `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`, password: "Correct-Horse-9" };
}

export async function signUpInBrowser(page: Page, web: string, person: Person): Promise<void> {
  await page.goto(web);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("textbox", { name: "Email" }).fill(person.email);
  await page.getByRole("textbox", { name: "Name" }).fill(person.name);
  await page.getByRole("textbox", { name: "Password" }).fill(person.password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

export async function createChannel(page: Page, name: string, topic = ""): Promise<void> {
  await page.getByRole("button", { name: "Create channel" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox", { name: "Name" }).fill(name);
  if (topic) await dialog.getByRole("textbox", { name: "Topic" }).fill(topic);
  await dialog.getByRole("button", { name: "Create" }).click();
  await dialog.waitFor({ state: "hidden" });
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

export function messages(page: Page) {
  return page.getByRole("list", { name: "Messages" });
}

/** The message list item holding this text. */
export function message(page: Page, text: string) {
  return messages(page).getByRole("listitem").filter({ hasText: text });
}

export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
  await message(page, text).waitFor();
}

export function sidebarLink(page: Page, name: string) {
  return page.getByRole("navigation", { name: "Channels" }).getByRole("link", { name, exact: true });
}

/** Waits for a condition the test can only observe from Node (requests seen, sockets open), checking every 50 ms. */
export async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A page of its own (own storage and session) at a desktop size unless told otherwise. */
export async function openPage(browser: Browser, viewport = { width: 1200, height: 800 }): Promise<Page> {
  return (await browser.newContext({ viewport })).newPage();
}

/** Signs in someone who signed up elsewhere (e.g. through the API with test/support/chatApi.ts). */
export async function signInInBrowser(page: Page, web: string, email: string, password = "Correct-Horse-9"): Promise<void> {
  await page.goto(web);
  await page.getByRole("textbox", { name: "Email" }).fill(email);
  await page.getByRole("textbox", { name: "Password" }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** Deletes one's own message, answering the confirmation. */
export async function deleteMessage(page: Page, text: string): Promise<void> {
  await message(page, text).getByRole("button", { name: "Delete message" }).click();
  await page.getByRole("dialog", { name: "Delete message" }).getByRole("button", { name: "Delete" }).click();
}

/** Whether the element has focus (focus is not in the page's body). */
export function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === el.ownerDocument.activeElement);
}

/** Waits for the phone's sidebar to finish sliding in (in-page code as text: the tests have no DOM types). */
export async function sidebarSlidIn(page: Page): Promise<void> {
  await page.waitForFunction('document.getElementById("sidebar").getBoundingClientRect().x >= 0');
}

/** Whether the element shows within the visible part of the messages' scrolling pane. */
export function inMessagesView(locator: Locator): Promise<boolean> {
  // In-page code (the tests have no DOM types).
  return locator.evaluate((el: any) => {
    const r = el.getBoundingClientRect();
    const box = el.closest(".messages-scroll").getBoundingClientRect();
    return r.bottom > box.top && r.top < box.bottom;
  });
}

/** The id of the channel open in the page (from its URL, /c/<id>). */
export const openChannelId = (page: Page): string => new URL(page.url()).pathname.replace("/c/", "");

/**
 * Two people in their own browser pages, signed up, in one channel: Ann creates it, Ben
 * joins it from "Browse channels"; Ann's `first` message is on both screens.
 */
export async function twoInAChannel(browser: Browser, sandbox: Sandbox, channel: string, first: string): Promise<{ ann: Page; ben: Page }> {
  const ann = await openPage(browser);
  const ben = await openPage(browser);
  await signUpInBrowser(ann, sandbox.urls.web, newPerson("Ann"));
  await signUpInBrowser(ben, sandbox.urls.web, newPerson("Ben"));
  await createChannel(ann, channel);
  await ben.getByRole("button", { name: "Browse channels" }).click();
  await ben.getByRole("link", { name: channel }).click();
  await ben.getByRole("button", { name: "Join channel" }).click();
  await sidebarLink(ben, channel).waitFor();
  await send(ann, first);
  await message(ben, first).waitFor({ timeout: 5000 });
  return { ann, ben };
}
