/**
 * Search in a real browser (CONTRACT §8, §12): the searchbox "Search", the list "Search
 * results" with each result's channel (or DM's people), author and text with the matched
 * words highlighted, "Load more", a refused filter's own message, the from:/in: suggestions,
 * and a result opening its channel (or thread) at the message, highlighted, also when it is
 * on a page not loaded yet, and again after a reload.
 */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { Browser, Locator, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { type Answer, type Person, post, searchFor, signUp } from "../support/chatApi";
import { inMessagesView, message, openPage, signInInBrowser, startBrowserSuite, stopBrowserSuite } from "../support/browser";

describe("web app in a browser: search", function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  let ann: Person;
  let ben: Person;
  let cat: Person;
  const releases = randomUUID();
  const kickoff = randomUUID();
  const reply = randomUUID();
  const dmNote = randomUUID();
  const fillers = 55;

  /** Posts an event, waiting out a 429 (each person's burst is 60). */
  async function accepted(who: Person, body: Record<string, unknown>): Promise<Answer> {
    for (;;) {
      const answer = await post(sandbox.urls.api, who.token, body);
      if (answer.status === 202) return answer;
      if (answer.status !== 429) throw new Error(`${body.type}: ${answer.status} ${JSON.stringify(answer.body)}`);
      await new Promise((resolve) => setTimeout(resolve, Number(answer.headers.get("retry-after") ?? "1") * 1000));
    }
  }

  /** Waits until the API finds the message for Ann (the search projection lags its 202 by a moment). */
  async function findable(query: string, messageId: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const answer = await searchFor(sandbox.urls.api, ann.token, query);
      if ((answer.body?.results ?? []).some((r: { messageId: string }) => r.messageId === messageId)) return;
      if (Date.now() > deadline) throw new Error(`${query}: ${messageId} not found: ${answer.status} ${JSON.stringify(answer.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function searchInBrowser(query: string): Promise<Locator> {
    const box = page.getByRole("searchbox", { name: "Search" });
    await box.fill(query);
    await box.press("Enter");
    return page.getByRole("list", { name: "Search results" });
  }

  before(async function () {
    ({ sandbox, browser } = await startBrowserSuite(this));
    const signUpAs = (name: string) => signUp(sandbox.urls.cognito, sandbox.clientId, name);
    [ann, ben, cat] = await Promise.all([signUpAs("Ann"), signUpAs("Ben"), signUpAs("Cat")]);
    await accepted(ann, { type: "channel_created", channelId: releases, name: "releases" });
    await accepted(ben, { type: "user_joined_channel", channelId: releases });
    // The kickoff opens the channel's first page; the fillers push it off the page a channel opens with.
    await accepted(ann, { type: "message_sent", channelId: releases, messageId: kickoff, text: "The kickoff plan for the zebra launch" });
    for (let n = 1; n <= fillers; n++) await accepted(ben, { type: "message_sent", channelId: releases, messageId: randomUUID(), text: `filler note ${n}` });
    await accepted(ben, { type: "message_sent", channelId: releases, messageId: reply, threadId: kickoff, text: "A wombat reply in the thread" });
    const dm = (await accepted(ben, { type: "dm_opened", memberIds: [ann.userId, cat.userId] })).body.channelId as string;
    await accepted(ben, { type: "message_sent", channelId: dm, messageId: dmNote, text: "quokka photos for you both" });
    page = await openPage(browser);
    await signInInBrowser(page, sandbox.urls.web, ann.email);
  });

  after(async () => {
    await stopBrowserSuite({ browser, sandbox });
  });

  it("finds a word of a message, showing its channel, its author and the word highlighted", async () => {
    await page.getByRole("navigation", { name: "Channels" }).getByRole("link", { name: "releases" }).click();
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("Deploying the *green* build tonight");
    await box.press("Enter");
    await message(page, "Deploying the green build tonight").waitFor();
    const sent = await page.evaluate<string>(`[...document.querySelectorAll("[data-message-id]")].at(-1).dataset.messageId`);
    await findable("deploy", sent);
    const results = await searchInBrowser("depl");
    const item = results.getByRole("listitem").filter({ hasText: "build tonight" });
    await item.waitFor();
    expect(await item.getByRole("link", { name: "#releases" }).count()).to.equal(1);
    expect(await item.locator(".author").textContent()).to.equal("Ann");
    expect(await item.locator("mark").allTextContents()).to.deep.equal(["Deploying"]);
    // mrkdwn, never HTML: the bold word is bold.
    expect(await item.locator("strong").textContent()).to.equal("green");
  });

  it("opens the channel at the message chosen, highlighted", async () => {
    await searchInBrowser("deploying");
    await page.getByRole("list", { name: "Search results" }).getByRole("listitem").filter({ hasText: "build tonight" }).click();
    const target = message(page, "build tonight");
    await target.and(page.locator(".is-target")).waitFor();
    expect(new URL(page.url()).searchParams.get("m")).to.be.a("string");
    expect(await inMessagesView(target)).to.equal(true);
  });

  it("opens a message on an earlier page than the channel opens with, loading pages back until it is there; a reload keeps it", async () => {
    await findable("zebra", kickoff);
    await (await searchInBrowser("zebra")).getByRole("listitem").filter({ hasText: "kickoff plan" }).click();
    const target = message(page, "kickoff plan");
    await target.and(page.locator(".is-target")).waitFor();
    expect(await inMessagesView(target)).to.equal(true);
    expect(await page.url()).to.contain(`/c/${releases}?m=${kickoff}`);
    await page.reload();
    await message(page, "kickoff plan").and(page.locator(".is-target")).waitFor();
    expect(await inMessagesView(message(page, "kickoff plan"))).to.equal(true);
  });

  it("opens a reply in its thread, at the reply, highlighted", async () => {
    await findable("wombat", reply);
    const item = (await searchInBrowser("wombat")).getByRole("listitem").filter({ hasText: "wombat reply" });
    await item.getByText("in a thread").waitFor();
    await item.click();
    const thread = page.getByRole("region", { name: "Thread" });
    await thread.getByRole("list", { name: "Replies" }).getByRole("listitem").filter({ hasText: "wombat reply" }).and(page.locator(".is-target")).waitFor();
    expect(page.url()).to.contain(`/c/${releases}/t/${kickoff}?m=${reply}`);
  });

  it("names a DM's result by its people", async () => {
    await findable("quokka", dmNote);
    const item = (await searchInBrowser("quokka")).getByRole("listitem").filter({ hasText: "quokka photos" });
    await item.getByRole("link", { name: "Ben, Cat" }).waitFor();
    expect(await item.locator(".author").textContent()).to.equal("Ben");
  });

  it("shows 20 results, then more with Load more until none remain", async () => {
    const results = await searchInBrowser("filler");
    await results.getByRole("listitem").nth(19).waitFor();
    expect(await results.getByRole("listitem").count()).to.equal(20);
    await page.getByRole("button", { name: "Load more" }).click();
    await results.getByRole("listitem").nth(39).waitFor();
    await page.getByRole("button", { name: "Load more" }).click();
    await results.getByRole("listitem").nth(fillers - 1).waitFor();
    await page.getByRole("button", { name: "Load more" }).waitFor({ state: "detached" });
    expect(await results.getByRole("listitem").count()).to.equal(fillers);
  });

  it("says when nothing matches", async () => {
    await searchInBrowser("xylophone");
    await page.getByText("No messages match “xylophone”.").waitFor();
  });

  it("shows the server's own message for a bad filter", async () => {
    const refused = await searchFor(sandbox.urls.api, ann.token, "deploy before:yesterday");
    expect(refused.status).to.equal(400);
    await searchInBrowser("deploy before:yesterday");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).to.equal(refused.body.error.message);
  });

  it("offers people as from: is typed and channels as in: is typed, choosing one completing the filter", async () => {
    const box = page.getByRole("searchbox", { name: "Search" });
    await box.fill("");
    await box.pressSequentially("from:be");
    await page.getByRole("listbox", { name: "Suggested people" }).getByRole("option", { name: "Ben" }).click();
    expect(await box.inputValue()).to.equal("from:Ben ");
    await box.pressSequentially("in:rel");
    await page.getByRole("listbox", { name: "Suggested channels" }).getByRole("option", { name: "releases" }).waitFor();
    await box.press("Enter");
    expect(await box.inputValue()).to.equal("from:Ben in:releases ");
    await box.pressSequentially("filler note 55");
    await box.press("Enter");
    await page.getByRole("list", { name: "Search results" }).getByRole("listitem").filter({ hasText: "filler note 55" }).waitFor();
  });

  it("lists the filters in a hint by the searchbox", async () => {
    const box = page.getByRole("searchbox", { name: "Search" });
    await box.fill("");
    const hint = (await box.getAttribute("aria-describedby"))!;
    const text = await page.locator(`[id="${hint}"]`).textContent();
    for (const filter of ["from:", "in:", "before:", "after:", "on:", "has:link", "is:thread", '"', "-word"]) expect(text).to.contain(filter);
  });
});
