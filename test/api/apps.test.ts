/**
 * CONTRACT §13 apps through the sandbox: create (the bot a user of its own, `bot: true` in
 * views/users), list (no tokens), revoke (its creator only); and the Slack routes' Lambda
 * authorizer, which takes the bot's token (and stops taking it within seconds of a revoke)
 * or a person's ID token. The Slack function itself is another's: a stand-in here answers
 * with what the authorizer handed it.
 */
import { expect } from "chai";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { Sandbox } from "../../infra/local";
import { decisions } from "../../functions/slackAuthorizer/handler";
import { botDecisionTtlMs } from "../../functions/usecases/botCaller";
import { type CreatedApp, createApp, deleteApp, listApps, slackCall } from "../support/appsApi";
import { type Person, signUp, view } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";

/** The Slack route's stand-in: answers with the authorizer's context. */
const echo = async (event: APIGatewayProxyEventV2) => ({
  statusCode: 200,
  body: JSON.stringify((event.requestContext as { authorizer?: { lambda?: unknown } }).authorizer?.lambda ?? null),
});

describe("apps and bot tokens (CONTRACT §13) through the sandbox", function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let api: string;
  let ann: Person;
  let ben: Person;
  let app: CreatedApp;

  const caller = async (authorization?: string) => (await (await slackCall(api, "auth.test", authorization)).json()) as Record<string, unknown>;

  before(async () => {
    sandbox = await startTestSandbox({ handlers: { slack: echo as never } });
    api = sandbox.urls.api;
    [ann, ben] = (await Promise.all(["Ann", "Ben"].map((n) => signUp(sandbox.urls.cognito, sandbox.clientId, n)))) as [Person, Person];
    decisions.clear();
  });
  after(() => disposeTestSandbox(sandbox));

  it("creates an app: 201 with its id, name, bot user and an xoxb- token", async () => {
    const answer = await createApp(api, ann.token, { name: "Deploy Bot" });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    app = answer.body as CreatedApp;
    expect(app).to.have.all.keys("appId", "name", "botUserId", "token");
    expect(app.name).to.equal("Deploy Bot");
    expect(app.token).to.match(/^xoxb-[A-Za-z0-9_-]{43}$/);
    expect(app.botUserId).to.not.equal(ann.userId);
  });

  it("registers the app's bot as a user of its own, listed with bot: true in views/users", async () => {
    await sandbox.bus.idle();
    const users = (await view(api, ben.token, "users")).body.users as { userId: string; name: string; bot?: boolean }[];
    expect(users.find((u) => u.userId === app.botUserId)).to.deep.equal({ userId: app.botUserId, name: "Deploy Bot", bot: true });
    expect(users.find((u) => u.userId === ann.userId)).to.not.have.property("bot");
  });

  it("refuses a bad name (400) and a call without a token (401), creating nothing", async () => {
    expect((await createApp(api, ann.token, { name: "  " })).status).to.equal(400);
    expect((await createApp(api, ann.token, { name: "x", extra: 1 })).status).to.equal(400);
    expect((await createApp(api, ann.token, "not json")).status).to.equal(400);
    expect((await createApp(api, undefined, { name: "Nope" })).status).to.equal(401);
    expect(((await listApps(api, ann.token)).body as { apps: unknown[] }).apps).to.have.length(1);
  });

  it("lists the caller's apps without their tokens, and nobody else's", async () => {
    const mine = await listApps(api, ann.token);
    expect(mine.status).to.equal(200);
    expect(mine.body).to.deep.equal({ apps: [{ appId: app.appId, name: app.name, botUserId: app.botUserId, createdAt: (mine.body as { apps: { createdAt: string }[] }).apps[0]!.createdAt, webhooks: [] }] });
    expect(JSON.stringify(mine.body)).to.not.include(app.token.slice(5));
    expect((await listApps(api, ben.token)).body).to.deep.equal({ apps: [] });
  });

  it("the authorizer takes the bot's token as the bot, a person's ID token as the person, and refuses the rest in Slack's words", async () => {
    expect(await caller(`Bearer ${app.token}`)).to.deep.equal({ userId: app.botUserId, kind: "bot" });
    expect(await caller(`Bearer ${ben.token}`)).to.deep.equal({ userId: ben.userId, kind: "user", name: "Ben" });
    expect(await caller()).to.deep.equal({ error: "not_authed" });
    expect(await caller(`Bearer xoxb-${"A".repeat(43)}`)).to.deep.equal({ error: "invalid_auth" });
    expect(await caller(`Bearer ${app.token.slice(0, -1)}`)).to.deep.equal({ error: "invalid_auth" });
    expect(await caller(`Bearer ${ben.token.slice(0, -4)}AAAA`)).to.deep.equal({ error: "invalid_auth" });
  });

  it("lets only the creator revoke the app: 404 for an unknown app, 403 for anyone else", async () => {
    expect((await deleteApp(api, ann.token, "7b0e4c1e-0000-4000-8000-000000000000")).status).to.equal(404);
    expect((await deleteApp(api, ann.token, "not-an-id")).status).to.equal(404);
    expect((await deleteApp(api, ben.token, app.appId)).status).to.equal(403);
    expect(await caller(`Bearer ${app.token}`)).to.deep.equal({ userId: app.botUserId, kind: "bot" });
  });

  it("revokes: 204, gone from the list, and the token refused within the authorizer's few seconds", async () => {
    expect(await caller(`Bearer ${app.token}`)).to.have.property("userId"); // a decision kept in the authorizer
    const revokedAt = Date.now();
    expect((await deleteApp(api, ann.token, app.appId)).status).to.equal(204);
    expect((await listApps(api, ann.token)).body).to.deep.equal({ apps: [] });
    let refusedAt: number | undefined;
    while (Date.now() - revokedAt < botDecisionTtlMs + 2_000) {
      if ((await caller(`Bearer ${app.token}`)).error === "invalid_auth") {
        refusedAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(refusedAt, "the revoked token still works").to.not.equal(undefined);
    expect(refusedAt! - revokedAt).to.be.at.most(botDecisionTtlMs + 1_000);
    // Once more by its creator: nothing left to do, same answer.
    expect((await deleteApp(api, ann.token, app.appId)).status).to.equal(204);
    expect((await deleteApp(api, ben.token, app.appId)).status).to.equal(404);
  });
});
