/**
 * The confirmation code step in a real browser, on a sandbox whose Cognito leaves sign-ups
 * unconfirmed (as a stack without the autoconfirm trigger) and "mails" each code to the
 * sandbox's log: after a sign-up, and after a sign-in of an account not confirmed yet.
 */
import { randomUUID } from "node:crypto";
import { SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Sandbox } from "../../infra/local";
import { lastConfirmationCode } from "../../infra/local/cognitoCodes";
import { distDir, ensureWebBuilt } from "../../web/build";
import { hasChromium, launchBrowser, newPerson, until } from "../support/browser";
import { requirePrerequisite } from "../support/prerequisites";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { cognitoClient } from "../support/sandboxUsers";

describe("web app in a browser: confirming an account with the emailed code", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  const log: string[] = [];
  const codeFor = async (email: string, notThis?: string) => {
    await until(() => ![undefined, notThis].includes(lastConfirmationCode(log, email)), 10_000);
    return lastConfirmationCode(log, email)!;
  };
  const codeBox = () => page.getByRole("textbox", { name: "Confirmation code" });

  before(async function () {
    requirePrerequisite(hasChromium(), "Chromium (/usr/bin/chromium)", () => this.skip());
    this.timeout(180_000);
    await ensureWebBuilt("error");
    sandbox = await startTestSandbox({ webRoot: distDir, autoConfirmSignUps: false, log: (_level, line) => log.push(line) });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
  });

  after(async () => {
    await browser?.close();
    await disposeTestSandbox(sandbox);
  });

  it("asks for the code after sign-up, says a wrong one is wrong, sends a new one, and signs in with it", async () => {
    const ada = newPerson("Ada");
    await page.goto(sandbox.urls.web);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("textbox", { name: "Email" }).fill(ada.email);
    await page.getByRole("textbox", { name: "Name" }).fill(ada.name);
    await page.getByRole("textbox", { name: "Password" }).fill(ada.password);
    await page.getByRole("button", { name: "Sign up" }).click();
    await codeBox().waitFor();
    await page.getByRole("status").filter({ hasText: `We emailed a confirmation code to ${ada.email}` }).waitFor();
    const first = await codeFor(ada.email);

    await codeBox().fill(first === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("alert").filter({ hasText: "That code is not right" }).waitFor();

    await page.getByRole("button", { name: "Resend code" }).click();
    await page.getByRole("status").filter({ hasText: `We sent a new code to ${ada.email}` }).waitFor();
    const second = await codeFor(ada.email, first);
    await codeBox().fill(second);
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    expect(await codeBox().count()).to.equal(0);
  });

  it("takes an account that signs in before confirming to the same code step, then signs in", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    const email = `bea-${randomUUID().slice(0, 8)}@example.com`;
    const password = "Correct-Horse-9";
    const cognito = cognitoClient(sandbox);
    try {
      const answer = await cognito.send(new SignUpCommand({ ClientId: sandbox.clientId, Username: email, Password: password, UserAttributes: [{ Name: "name", Value: "Bea" }] }));
      expect(answer.UserConfirmed).to.equal(false);
    } finally {
      cognito.destroy();
    }

    await page.getByRole("textbox", { name: "Email" }).fill(email);
    await page.getByRole("textbox", { name: "Password" }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await codeBox().waitFor();
    await page.getByRole("status").filter({ hasText: "This account is not confirmed yet" }).waitFor();
    await codeBox().fill(await codeFor(email));
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
  });
});
