/**
 * A bot's token and a webhook's secret never reach a log: through a whole flow (app
 * created, token used on the Slack routes' authorizer, bad tokens, webhook posts good and
 * bad, revocation), with the functions' logger at DEBUG, neither the sandbox's log nor
 * anything written to stdout or stderr holds them.
 */
import { expect } from "chai";
import { IncomingWebhook } from "@slack/webhook";
import type { Sandbox } from "../../infra/local";
import { type CreatedApp, createApp, createWebhook, deleteApp, postToWebhook, slackCall } from "../support/appsApi";
import { type Person, post, signUp } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { capturedOutput } from "../support/capturedOutput";

describe("bots' tokens and webhooks' secrets are never logged", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  const sandboxLog: string[] = [];

  before(async () => {
    sandbox = await startTestSandbox({
      log: (level, message) => sandboxLog.push(`${level}: ${message}`),
    });
  });
  after(() => disposeTestSandbox(sandbox));

  it("keeps them out of the sandbox's log, the functions' logs, stdout and stderr", async () => {
    const secrets: string[] = [];
    const written = await capturedOutput(async () => {
      const api = sandbox.urls.api;
      const ann: Person = await signUp(sandbox.urls.cognito, sandbox.clientId, "Ann");
      const app = (await createApp(api, ann.token, { name: "Pager" })).body as CreatedApp;
      secrets.push(app.token);
      const channelId = (await post(api, ann.token, { type: "channel_created", name: "alerts" })).body.stream.slice("channel-".length) as string;
      const url = ((await createWebhook(api, ann.token, app.appId, { channelId })).body as { url: string }).url;
      secrets.push(url.split("/").pop()!);
      expect((await slackCall(api, "auth.test", `Bearer ${app.token}`)).status).to.equal(200);
      const otherEnd = (secret: string) => `${secret.slice(0, -2)}${secret.endsWith("xx") ? "yy" : "xx"}`;
      for (const bad of [otherEnd(app.token), `xoxb-${"B".repeat(43)}`, `xoxb-tooShort${"Q".repeat(10)}`]) {
        secrets.push(bad);
        await slackCall(api, "auth.test", `Bearer ${bad}`);
      }
      expect((await new IncomingWebhook(url).send({ text: "disk full on db-1" })).text).to.equal("ok");
      await postToWebhook(url, "{broken");
      await postToWebhook(otherEnd(url), JSON.stringify({ text: "wrong secret" }));
      expect((await deleteApp(api, ann.token, app.appId)).status).to.equal(204);
      await postToWebhook(url, JSON.stringify({ text: "after the revoke" }));
      await sandbox.bus.idle();
    });
    const everything = [...sandboxLog, ...written].join("\n");
    expect(secrets.length).to.equal(5);
    for (const secret of secrets) {
      const tail = secret.replace(/^xoxb-/, "").slice(-20);
      expect(everything.includes(tail), `a secret ending ${tail.slice(-4)} was logged`).to.equal(false);
    }
  });
});
