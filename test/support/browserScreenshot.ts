/**
 * Takes the README's screenshot: three people, a few channels and a conversation, seen by
 * one of them in the browser. `npx tsx test/support/browserScreenshot.ts [docs/screenshot.png]`
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { post, signUp, type Person } from "./chatApi";
import { disposeTestSandbox } from "./sandboxFixture";
import { launchBrowser, message, sidebarLink, startWebSandbox } from "./browser";

async function main(out: string): Promise<void> {
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

    await say(ann!, general, "Morning all! Release 2.4 is out: faster search and the new sidebar.");
    await say(ben!, general, "Nice work! The deploy went smoothly on my side.");
    await say(ben!, general, "I'll keep an eye on the dashboards this afternoon.");
    await say(cara!, general, "Thanks both. Retro is at 3pm in the big room, bring your notes.");
    const perfect = randomUUID();
    await api(ann!, { type: "message_sent", channelId: general, messageId: perfect, text: "Perfect, see you there" });
    await api(ann!, { type: "message_edited", channelId: general, messageId: perfect, text: "Perfect, see you there!" });
    await say(ben!, general, "Quick one: does anyone have the link to the onboarding doc?");
    await say(cara!, general, "It's pinned in #design, I'll move it here.\nAlso added a section on the release process.");
    await say(cara!, design, "New mockups for the settings page are up for review.");
    await sandbox.bus.idle();

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 })).newPage();
    await page.goto(sandbox.urls.web);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await page.getByRole("textbox", { name: "Email" }).fill(ann!.email);
    await page.getByRole("textbox", { name: "Password" }).fill("Correct-Horse-9");
    await page.getByRole("button", { name: "Sign in" }).click();
    await sidebarLink(page, "general").click();
    await message(page, "Also added a section").waitFor();
    // Someone writes elsewhere while Ann reads #general: the sidebar counts it.
    await say(ben!, random, "Lunch at the new ramen place?");
    await say(ben!, random, "They have a vegetarian menu too.");
    await sidebarLink(page, "random").locator(".badge").waitFor();
    await page.getByRole("textbox", { name: "Message" }).fill("Thanks Cara!");
    await page.screenshot({ path: out });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
    await disposeTestSandbox(sandbox);
  }
}

main(path.resolve(process.argv[2] ?? "docs/screenshot.png")).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
