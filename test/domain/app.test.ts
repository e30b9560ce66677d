/**
 * The app aggregate's pure parts (CONTRACT §13): who may change an app, what a webhook's
 * payload posts, a message's ts, and a bot in the users directory.
 */
import { expect } from "chai";
import { type App, appLimits, decideCreateApp, decideCreateWebhook, decideOwnApp } from "../../functions/domain/app/app";
import { seqOfTs, tsOf } from "../../functions/domain/app/messageTs";
import { webhookMessage } from "../../functions/domain/app/webhookPayload";
import type { StoredEvent } from "../../functions/domain/events";
import { applyToUsers, emptyUsers } from "../../functions/domain/projections/user";
import { registered, userRenamed } from "../support/domainFixtures";

const app: App = { appId: "a-1", name: "CI", botUserId: "b-1", createdBy: "u-ann", createdAt: "2026-01-01T00:00:00.000Z", tokenHash: "00", webhooks: {} };

describe("apps: who may change one", () => {
  it("lets its creator change a live app; 403 for anyone else; 404 for an unknown or revoked one, alike", () => {
    expect(decideOwnApp(app, "u-ann")).to.equal(app);
    expect(decideOwnApp(app, "u-ben")).to.deep.include({ status: 403 });
    expect(decideOwnApp(undefined, "u-ann")).to.deep.include({ status: 404, code: "app_not_found" });
    expect(decideOwnApp({ ...app, revokedAt: "2026-01-02T00:00:00.000Z" }, "u-ann")).to.deep.equal(decideOwnApp(undefined, "u-ann"));
  });

  it("bounds apps per person and webhooks per app", () => {
    const ctx = { userId: "u-ann", appId: "a-2", botUserId: "b-2", tokenHash: "11", now: "2026-01-01T00:00:00.000Z" };
    expect(decideCreateApp({ name: "CI" }, { ...ctx, appsOfUser: appLimits.appsPerUser - 1 })).to.deep.include({ appId: "a-2", createdBy: "u-ann", webhooks: {} });
    expect(decideCreateApp({ name: "CI" }, { ...ctx, appsOfUser: appLimits.appsPerUser })).to.deep.include({ status: 409, code: "too_many_apps" });
    const full = Object.fromEntries(Array.from({ length: appLimits.webhooksPerApp }, (_, i) => [`w${i}`, { webhookId: `w${i}`, channelId: "c", createdAt: "" }]));
    expect(decideCreateWebhook({ ...app, webhooks: full }, "u-ann")).to.deep.include({ status: 409, code: "too_many_webhooks" });
  });
});

describe("a webhook's payload", () => {
  it("posts its text, and replies in the thread thread_ts names (a number taken as the ts it prints)", () => {
    expect(webhookMessage({ text: "  deployed  " })).to.deep.equal({ text: "deployed" });
    expect(webhookMessage({ text: "done", thread_ts: "1700000000.000042", channel: "#ignored", username: "ignored" })).to.deep.equal({ text: "done", threadTs: "1700000000.000042" });
    expect(webhookMessage({ text: "done", thread_ts: 1700000000.000042 })).to.deep.include({ threadTs: "1700000000.000042" });
  });

  it("without text, posts the text of its attachments (pretext, title, text; else fallback) and blocks", () => {
    expect(webhookMessage({ attachments: [{ title: "[FIRING:1] Disk", text: "db-1 at 95%", color: "danger" }, { fallback: "only a fallback" }] })).to.deep.equal({
      text: "[FIRING:1] Disk\ndb-1 at 95%\nonly a fallback",
    });
    expect(webhookMessage({ blocks: [{ type: "header", text: { type: "plain_text", text: "Deploy" } }, { type: "section", text: { type: "mrkdwn", text: "*v2* is live" }, fields: [{ type: "mrkdwn", text: "env: prod" }] }] })).to.deep.equal({
      text: "Deploy\n*v2* is live\nenv: prod",
    });
  });

  it("answers no_text when nothing has text, and invalid_payload for a thread_ts of another kind", () => {
    for (const payload of [{}, { text: "   " }, { attachments: [{ color: "good" }] }, { blocks: [{ type: "divider" }] }, { text: 42 }]) {
      expect(webhookMessage(payload), JSON.stringify(payload)).to.deep.include({ status: 400, code: "no_text" });
    }
    expect(webhookMessage({ text: "x", thread_ts: { ts: 1 } })).to.deep.include({ status: 400, code: "invalid_payload" });
    expect(webhookMessage(JSON.parse('{"text": "half an emoji \\ud83d"}'))).to.deep.include({ status: 400, code: "invalid_payload" });
    expect(webhookMessage({ text: "a whole one \ud83d\ude80" })).to.deep.equal({ text: "a whole one 🚀" });
  });
});

describe("a message's ts", () => {
  it("is the event's unix seconds and its seq padded to 6, and gives the seq back", () => {
    const ts = tsOf({ seq: 42, timestamp: "2026-11-30T12:00:00.900Z" });
    expect(ts).to.equal("1796040000.000042");
    expect(seqOfTs(ts)).to.equal(42);
    expect(seqOfTs(tsOf({ seq: 1_234_567, timestamp: "2026-11-30T12:00:00Z" }))).to.equal(1_234_567);
  });

  it("refuses what is not a ts of ours", () => {
    for (const ts of ["", "42", "1700000000.42", "1700000000.000000", "-1.000001", "1700000000.000001x", "1e3.000001"]) expect(seqOfTs(ts), ts).to.equal(undefined);
  });
});

describe("a bot in the users directory", () => {
  const bot = (): StoredEvent => ({ ...registered("b-1", "CI"), bot: true });

  it("is listed with bot: true, a person without it", () => {
    expect([bot(), registered("u-ann", "Ann")].reduce(applyToUsers, emptyUsers).users).to.deep.equal([
      { userId: "u-ann", name: "Ann" },
      { userId: "b-1", name: "CI", bot: true },
    ]);
  });

  it("stays a bot whatever order its registration and a rename arrive in, and however often", () => {
    const rename = userRenamed("b-1", "CI bot", 2);
    const expected = [{ userId: "b-1", name: "CI bot", nameSeq: 2, bot: true }];
    expect([bot(), rename].reduce(applyToUsers, emptyUsers).users).to.deep.equal(expected);
    expect([rename, bot(), rename, bot()].reduce(applyToUsers, emptyUsers).users).to.deep.equal(expected);
  });
});
