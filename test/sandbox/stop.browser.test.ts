/**
 * `npm start` as a person runs it, in its own process, with pages open in a browser: a
 * stop (SIGTERM, as Ctrl-C's SIGINT) ends the process in seconds, however many pages hold
 * keep-alive and WebSocket connections, and the pages say they are reconnecting; the next
 * start on the same data dir works; a start on a data dir in use says so and leaves the
 * running one alone.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { ensureWebBuilt } from "../../web/build";
import { hasChromium, launchBrowser, newPerson, signUpInBrowser } from "../support/browser";
import { requirePrerequisite } from "../support/prerequisites";
import { removeDir, tempDataDir } from "../support/sandboxContext";
import { exitWithin, killSandbox, type SandboxProcess, spawnSandbox, webUrlOf } from "../support/sandboxProcess";

describe("npm start: stop and start again, with pages open", function () {
  this.timeout(180_000);
  let browser: Browser;
  const dataDirs: string[] = [];
  const processes: SandboxProcess[] = [];
  const start = (dataDir: string) => {
    const sandbox = spawnSandbox(dataDir);
    processes.push(sandbox);
    return sandbox;
  };
  const newDataDir = async () => {
    const dir = await tempDataDir();
    dataDirs.push(dir);
    return dir;
  };

  before(async function () {
    requirePrerequisite(hasChromium(), "Chromium (/usr/bin/chromium)", () => this.skip());
    await ensureWebBuilt("error");
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    for (const sandbox of processes) await killSandbox(sandbox);
    for (const dir of dataDirs) await removeDir(dir);
  });

  async function signedInPage(web: string, name: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await signUpInBrowser(page, web, newPerson(name));
    // The realtime socket is open: the sidebar's connection status is empty and "online".
    await page.locator(".connection.is-online").waitFor({ state: "attached" });
    return page;
  }

  it("exits within 5 s of SIGTERM with two signed-in pages open, which then show Reconnecting…; the next start on the same data dir serves /config.json", async () => {
    const dataDir = await newDataDir();
    const first = start(dataDir);
    const web = await webUrlOf(first);
    const pages = [await signedInPage(web, "Ann"), await signedInPage(web, "Bob")];

    first.child.kill("SIGTERM");
    expect(await exitWithin(first, 5000), first.output()).to.equal(0);
    expect(first.output()).to.include("SIGTERM: stopping…");
    for (const page of pages) await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({ timeout: 5000 });

    const second = start(dataDir);
    const config = await fetch(`${await webUrlOf(second)}/config.json`);
    expect(config.status).to.equal(200);
    expect(await config.json()).to.have.property("apiUrl");
    second.child.kill("SIGTERM");
    expect(await exitWithin(second, 5000), second.output()).to.equal(0);
  });

  it("refuses a second start on a data dir in use, saying so plainly with a non-zero exit, and leaves the first running", async () => {
    const dataDir = await newDataDir();
    const first = start(dataDir);
    const web = await webUrlOf(first);

    const second = start(dataDir);
    expect(await exitWithin(second, 60_000), second.output()).to.equal(1);
    const said = /npm start: another sandbox \(pid (\d+)\) is running on (.+); stop it first/.exec(second.output());
    expect(said, second.output()).to.not.equal(null);
    expect(said![2]).to.equal(dataDir);
    expect(() => process.kill(Number(said![1]), 0), "the pid named is the running sandbox's").to.not.throw();
    expect(second.output(), "no stack trace").to.not.match(/\n\s+at /);

    expect(first.child.exitCode).to.equal(null);
    expect((await fetch(`${web}/config.json`)).status).to.equal(200);
    first.child.kill("SIGTERM");
    expect(await exitWithin(first, 5000), first.output()).to.equal(0);
  });
});
