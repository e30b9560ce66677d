/** The "Mentions" entry: someone names me with @, a badge appears, and the list shows the message. */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { createChannel, newPerson, send, sidebarLink, signUpInBrowser, startBrowserSuite, stopBrowserSuite } from "../support/browser";

describe("web app in a browser: mentions", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let ann: Page;
  let ben: Page;

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    const open = async () => (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    ann = await open();
    ben = await open();
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("shows a badge on Mentions when someone names me in a channel I am not looking at, and the message in the list", async () => {
    await signUpInBrowser(ann, sandbox.urls.web, newPerson("Ann"));
    await signUpInBrowser(ben, sandbox.urls.web, newPerson("Ben"));
    await createChannel(ann, "team");
    await ben.getByRole("button", { name: "Browse channels" }).click();
    await ben.getByRole("link", { name: "team" }).click();
    await ben.getByRole("button", { name: "Join channel" }).click();
    await sidebarLink(ben, "team").waitFor();
    // Somewhere else: a mention seen in the open channel is read (CONTRACT §14), and no badge calls for it.
    await createChannel(ben, "ben-desk");
    await send(ann, "@ben can you review the release notes?");
    const entry = ben.getByRole("link", { name: "Mentions" });
    await ben.locator("#unseen-mentions").waitFor({ state: "attached", timeout: 20_000 });
    expect(await entry.getAttribute("aria-describedby")).to.equal("unseen-mentions");
    await entry.click();
    await ben.getByRole("list", { name: "Mentions" }).getByText("@ben can you review the release notes?").waitFor();
    expect(await ben.locator("#unseen-mentions").count()).to.equal(0);
  });
});
