/**
 * Messages typed quickly on a slow, jittery network are stored in the order typed
 * (CONTRACT §14), in Debian's Chromium against the whole sandbox: every POST to the API's
 * `/events` is held back a random 0–800 ms (seeded), and the channel's stored page is read
 * back through the API.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { view } from "../support/chatApi";
import { createChannel, messages, newPerson, type Person, signUpInBrowser, startBrowserSuite, stopBrowserSuite } from "../support/browser";
import { signIn } from "../support/sandboxUsers";
import { seededRandom } from "../support/seededRandom";

describe("web app in a browser: the order of one's messages on a jittery network", function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  let ann: Person;

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    ann = newPerson("Ann");
    await signUpInBrowser(page, sandbox.urls.web, ann);
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("stores 15 messages typed quickly, each request delayed 0–800 ms, in the order typed", async () => {
    await createChannel(page, "orderly");
    const channelId = /\/c\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
    expect(channelId).to.be.a("string");
    const jitter = seededRandom(15_800);
    await page.route(
      (url) => url.pathname.endsWith("/events"),
      async (route) => {
        if (route.request().method() === "POST") await new Promise((resolve) => setTimeout(resolve, Math.floor(jitter() * 800)));
        await route.continue();
      },
    );
    const typed = Array.from({ length: 15 }, (_, i) => `Point number ${i + 1} of 15`);
    const box = page.getByRole("textbox", { name: "Message" });
    for (const text of typed) {
      await box.fill(text);
      await box.press("Enter");
    }
    // All shown at once, in the order typed, before the network is done.
    const list = messages(page).getByRole("listitem");
    expect((await list.allTextContents()).filter((t) => t.includes("Point number")).length).to.equal(15);
    // Then every one is sent (no row still sending), and the views hold them all.
    await messages(page).locator('[aria-busy="true"]').first().waitFor({ state: "detached", timeout: 30_000 });
    const token = await signIn(sandbox, ann.email, ann.password);
    let stored: string[] = [];
    const read = async () => {
      const answer = await view(sandbox.urls.api, token, `channels/${channelId}/pages/0`);
      stored = answer.status === 200 ? (answer.body.messages as { text: string }[]).map((m) => m.text) : [];
    };
    for (const deadline = Date.now() + 30_000; stored.length < typed.length && Date.now() < deadline; ) {
      await read();
      if (stored.length < typed.length) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const outOfPlace = stored.filter((text, i) => text !== typed[i]).length;
    expect(stored, `${outOfPlace} of ${typed.length} stored out of place`).to.deep.equal(typed);
    // Everyone sees that order: the list after a reload.
    await page.reload();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await messages(page).getByRole("listitem").filter({ hasText: typed[14]! }).waitFor();
    const shown = (await messages(page).getByRole("listitem").allTextContents()).map((t) => typed.find((m) => t.includes(m))).filter(Boolean);
    expect(shown).to.deep.equal(typed);
  });
});
