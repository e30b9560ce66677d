/** The bot-token check of the Slack routes' authorizer: one read by the token's hash, decisions kept a few seconds at most. */
import { expect } from "chai";
import { BotDecisions, botCaller, botDecisionTtlMs } from "../../functions/usecases/botCaller";
import { secretHash } from "../../functions/usecases/secretHash";
import type { BotToken, BotTokenStore } from "../../functions/ports";

function tokenStore() {
  const items = new Map<string, BotToken>();
  const reads: string[] = [];
  const store: Pick<BotTokenStore, "find"> = {
    find: async (hash) => {
      reads.push(hash);
      return items.get(hash);
    },
  };
  return { items, reads, store };
}

const token = `xoxb-${"a1B2_c3-".repeat(5)}abc`;

describe("a bot's token on the Slack routes", () => {
  it("is found by its SHA-256, never by the token itself, with one read", async () => {
    const { items, reads, store } = tokenStore();
    items.set(secretHash(token), { appId: "a-1", botUserId: "b-1" });
    expect(await botCaller(token, store, new BotDecisions())).to.deep.equal({ appId: "a-1", botUserId: "b-1" });
    expect(reads).to.deep.equal([secretHash(token)]);
  });

  it("keeps a decision no longer than its few seconds: a revoked token stops working once they pass", async () => {
    const { items, reads, store } = tokenStore();
    let now = 1_000_000;
    const decisions = new BotDecisions(botDecisionTtlMs, 100, () => now);
    items.set(secretHash(token), { appId: "a-1", botUserId: "b-1" });
    expect(await botCaller(token, store, decisions)).to.have.property("botUserId", "b-1");
    items.clear(); // revoked
    now += botDecisionTtlMs - 1;
    expect(await botCaller(token, store, decisions), "within the few seconds").to.have.property("botUserId", "b-1");
    now += 1;
    expect(await botCaller(token, store, decisions)).to.equal(undefined);
    expect(reads).to.have.length(2);
    expect(botDecisionTtlMs).to.be.at.most(5_000);
  });

  it("reads nothing for what cannot be a token of ours", async () => {
    const { reads, store } = tokenStore();
    for (const bad of ["xoxb-", "xoxb-short", `xoxp-${"a".repeat(43)}`, `xoxb-${"a".repeat(44)}`, `xoxb-${"a".repeat(42)}=`]) {
      expect(await botCaller(bad, store, new BotDecisions()), bad).to.equal(undefined);
    }
    expect(reads).to.deep.equal([]);
  });
});
