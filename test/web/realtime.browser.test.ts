/**
 * Realtime in a real browser: a push lost on the way is filled from the views, and a
 * connection that drops (the network goes away) comes back and catches up. The other side
 * of the conversation writes through the API.
 */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { post, signUp, type Person as ApiPerson } from "../support/chatApi";
import { message, newPerson, signUpInBrowser, startBrowserSuite, stopBrowserSuite, until } from "../support/browser";

describe("web app in a browser: realtime", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let ann: ApiPerson;

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    ann = await signUp(sandbox.urls.cognito, sandbox.clientId, "Ann");
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  async function say(channelId: string, text: string): Promise<void> {
    const answer = await post(sandbox.urls.api, ann.token, { type: "message_sent", channelId, messageId: randomUUID(), text });
    expect(answer.status).to.equal(202);
  }

  /** Ann's new channel, opened and joined by a new person in the browser. */
  async function joinedChannel(context: BrowserContext, name: string): Promise<{ page: Page; channelId: string; requests: Request[] }> {
    const created = await post(sandbox.urls.api, ann.token, { type: "channel_created", name });
    const channelId = (created.body.stream as string).replace("channel-", "");
    const page = await context.newPage();
    const requests: Request[] = [];
    const requestTimes = new Map<Request, number>();
    page.on("request", (r) => {
      requests.push(r);
      requestTimes.set(r, Date.now());
    });
    await signUpInBrowser(page, sandbox.urls.web, newPerson("Ben"));
    let connectedAt = Infinity;
    let sockets = 0;
    page.on("websocket", () => {
      connectedAt = Date.now();
      sockets++;
    });
    await page.goto(`${sandbox.urls.web}/c/${channelId}`);
    await page.getByRole("button", { name: "Join channel" }).click();
    await page.getByRole("button", { name: "Leave channel" }).waitFor();
    // The app reads the views again 3 s after connecting (its timer starts a moment before the
    // page sees the socket, so the read can come a few ms short of 3 s by this clock); once
    // that ran, only a gap makes it read them.
    const caughtUp = () => requests.some((r) => r.url().endsWith("/views/users/me") && requestTimes.get(r)! > connectedAt + 2000);
    await until(caughtUp, 20_000).catch((error: Error) => {
      const reads = requests.filter((r) => r.url().endsWith("/views/users/me")).map((r) => requestTimes.get(r)! - connectedAt);
      throw new Error(`${error.message}: users/me read at ${reads.join(", ")} ms from the last connection (${sockets} sockets opened)`);
    });
    return { page, channelId, requests };
  }

  it("fills a gap from the views when a pushed event is lost on the way", async () => {
    const context = await browser.newContext();
    let dropped = 0;
    await context.routeWebSocket(/\/ws\?/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((data) => {
        const text = typeof data === "string" ? data : data.toString("utf8");
        if (text.includes("lost in transit") && dropped === 0) return void dropped++;
        ws.send(data);
      });
    });
    const { page, channelId, requests } = await joinedChannel(context, "gaps");
    await say(channelId, "lost in transit");
    await sandbox.bus.idle();
    await until(() => dropped === 1, 5000);
    expect(await message(page, "lost in transit").count()).to.equal(0);
    const readsBefore = requests.length;
    await say(channelId, "delivered");
    await message(page, "delivered").waitFor({ timeout: 5000 });
    await message(page, "lost in transit").waitFor({ timeout: 5000 });
    const texts = await page.getByRole("list", { name: "Messages" }).getByRole("listitem").allTextContents();
    expect(texts.findIndex((t) => t.includes("lost in transit"))).to.be.lessThan(texts.findIndex((t) => t.includes("delivered")));
    expect(requests.slice(readsBefore).some((r) => r.url().endsWith(`/views/channels/${channelId}`))).to.equal(true);
    await context.close();
  });

  it("reconnects after the connection drops and catches up on what was said meanwhile", async () => {
    const context = await browser.newContext();
    const { page, channelId } = await joinedChannel(context, "reconnects");
    await say(channelId, "before the drop");
    await message(page, "before the drop").waitFor({ timeout: 5000 });

    await context.setOffline(true);
    for (const socket of sandbox.sockets.values()) socket.terminate();
    await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({ timeout: 5000 });
    await say(channelId, "said while you were away");
    await say(channelId, "and this too");
    await sandbox.bus.idle();
    expect(await message(page, "said while you were away").count()).to.equal(0);

    await context.setOffline(false);
    await message(page, "said while you were away").waitFor({ timeout: 15_000 });
    await message(page, "and this too").waitFor({ timeout: 5000 });
    await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({ state: "detached", timeout: 15_000 });
    await until(() => sandbox.sockets.size > 0, 15_000);
    await say(channelId, "live again");
    await message(page, "live again").waitFor({ timeout: 5000 });
    await context.close();
  });
});
