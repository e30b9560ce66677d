/**
 * Takes the README's screenshots: three people, a few channels and a conversation, seen by
 * one of them in the browser, on a laptop (`screenshot.png`), with a thread open
 * (`screenshot-thread.png`), searching (`screenshot-search.png`), on a phone with the menu
 * open and in a channel (`screenshot-phone.png`, the two side by side) and in dark mode
 * (`screenshot-dark.png`). `npx tsx test/support/browserScreenshot.ts [docs]`
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { post, signUp, type Person } from "./chatApi";
import { disposeTestSandbox } from "./sandboxFixture";
import type { Page } from "playwright-core";
import { launchBrowser, message, sidebarLink, sidebarSlidIn, signInInBrowser, startWebSandbox } from "./browser";

async function shoot(page: Page, out: string): Promise<void> {
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
}

async function main(dir: string): Promise<void> {
  const sandbox = await startWebSandbox();
  const browser = await launchBrowser();
  try {
    const [ann, ben, cara] = await Promise.all(["Ann", "Ben", "Cara"].map((name) => signUp(sandbox.urls.cognito, sandbox.clientId, name)));
    const api = (who: Person, body: Record<string, unknown>) => post(sandbox.urls.api, who.token, body).then((a) => a.body as { stream: string });
    const channel = async (who: Person, name: string, topic: string, isPrivate = false) =>
      (await api(who, { type: "channel_created", name, topic, private: isPrivate })).stream.replace("channel-", "");
    const say = (who: Person, channelId: string, text: string) => api(who, { type: "message_sent", channelId, messageId: randomUUID(), text });

    const general = await channel(ann!, "general", "Company-wide announcements and everyday questions");
    const random = await channel(ben!, "random", "Anything that doesn't fit elsewhere");
    const design = await channel(cara!, "design", "Mockups and reviews", true);
    for (const [who, id] of [[ben, general], [cara, general], [ann, random], [cara, random]] as const) await api(who!, { type: "user_joined_channel", channelId: id });
    await api(cara!, { type: "user_joined_channel", channelId: design, memberId: ann!.userId });

    const release = randomUUID();
    await api(ann!, { type: "message_sent", channelId: general, messageId: release, text: "Morning all! *Release 2.4* is out: faster search and the new sidebar." });
    await say(ben!, general, "Nice work! The deploy went smoothly on my side.");
    await say(ben!, general, "I'll keep an eye on the dashboards this afternoon.");
    await say(cara!, general, "Thanks both. Retro is at 3pm in the big room, bring your notes.");
    const perfect = randomUUID();
    await api(ann!, { type: "message_sent", channelId: general, messageId: perfect, text: "Perfect, see you there" });
    await api(ann!, { type: "message_edited", channelId: general, messageId: perfect, text: "Perfect, see you there!" });
    await say(ben!, general, "Quick one: does anyone have the link to the onboarding doc?");
    await say(cara!, general, "It's pinned in #design, I'll move it here.\nAlso added a section on the release process.");
    await say(cara!, design, "New mockups for the settings page are up for review.");
    // A thread on the release note, and reactions to it and in it.
    const reply = (who: Person, text: string) => api(who, { type: "message_sent", channelId: general, messageId: randomUUID(), threadId: release, text });
    await reply(ben!, "Search feels _much_ faster, nice one");
    const cleaner = randomUUID();
    await api(cara!, { type: "message_sent", channelId: general, messageId: cleaner, threadId: release, text: "Agreed, and the sidebar is so much cleaner." });
    await reply(ann!, "Thanks! The notes are in the `release-2.4` doc: https://example.com/release-2.4");
    for (const [who, emoji] of [[ben, "tada"], [cara, "tada"], [cara, "rocket"], [ben, "+1"]] as const) {
      await api(who!, { type: "reaction_added", channelId: general, messageId: release, emoji });
    }
    await api(ann!, { type: "reaction_added", channelId: general, messageId: cleaner, emoji: "heart" });
    await sandbox.bus.idle();

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 })).newPage();
    await signInInBrowser(page, sandbox.urls.web, ann!.email);
    await sidebarLink(page, "general").click();
    await message(page, "Also added a section").waitFor();
    // Someone writes elsewhere while Ann reads #general: the sidebar counts it.
    await say(ben!, random, "Lunch at the new ramen place?");
    await say(ben!, random, "They have a vegetarian menu too.");
    await sidebarLink(page, "random").locator(".badge").waitFor();
    await page.getByRole("textbox", { name: "Message" }).fill("Thanks Cara!");
    await shoot(page, path.join(dir, "screenshot.png"));

    // The release note's thread open beside the channel, with its reactions.
    await page.getByRole("button", { name: /^3 replies/ }).click();
    await page.getByRole("region", { name: "Thread" }).getByText("Agreed, and the sidebar").waitFor();
    await shoot(page, path.join(dir, "screenshot-thread.png"));
    await page.getByRole("button", { name: "Close thread" }).click();

    // A search: its results, each with its channel and author, the words matched marked.
    const searchbox = page.getByRole("searchbox", { name: "Search" });
    await searchbox.fill("release");
    await searchbox.press("Enter");
    await page.getByRole("list", { name: "Search results" }).getByRole("listitem").filter({ hasText: "release process" }).waitFor();
    await searchbox.blur();
    await shoot(page, path.join(dir, "screenshot-search.png"));
    await searchbox.fill("");
    await sidebarLink(page, "general").click();
    await message(page, "Also added a section").waitFor();

    // Dark mode: the same screen, Ann starting to mention someone.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByRole("textbox", { name: "Message" }).fill("Thanks @ca");
    await page.getByRole("textbox", { name: "Message" }).press("End");
    await page.getByRole("option", { name: "Cara" }).waitFor();
    await shoot(page, path.join(dir, "screenshot-dark.png"));

    // A phone: the channel, and the menu open over it, side by side in one image.
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByRole("textbox", { name: "Message" }).fill("");
    await page.setViewportSize({ width: 390, height: 760 });
    await page.getByRole("button", { name: "Open menu" }).waitFor();
    await page.waitForTimeout(500); // the sidebar slides away
    const inChannel = await page.screenshot();
    await page.getByRole("button", { name: "Open menu" }).click();
    await sidebarSlidIn(page);
    const menu = await page.screenshot();
    await page.setViewportSize({ width: 2 * 390 + 24, height: 760 });
    await page.setContent(`<body style="margin:0;display:flex;gap:24px;background:#e8e8e8">${[menu, inChannel].map((png) => `<img src="data:image/png;base64,${png.toString("base64")}" width="390" height="760">`).join("")}</body>`);
    await shoot(page, path.join(dir, "screenshot-phone.png"));
  } finally {
    await browser.close();
    await disposeTestSandbox(sandbox);
  }
}

main(path.resolve(process.argv[2] ?? "docs")).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
