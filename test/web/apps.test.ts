/** The apps state of the web (web/src/state/apps.ts) and the bots kept from views/users (userNames.ts). */
import { execFileSync } from "node:child_process";
import { expect } from "chai";
import { ApiError } from "../../web/src/api/apiError";
import { curlExample, describeAppError, webhookChannels } from "../../web/src/state/apps";
import type { Timeline } from "../../web/src/state/timeline";
import { realTimers } from "../../web/src/state/timers";
import { UserNames } from "../../web/src/state/userNames";

const timeline = (channelId: string, head: Record<string, unknown> | undefined) => [channelId, { channelId, head } as unknown as Timeline] as const;

describe("web apps state", () => {
  it("offers a webhook the channels we are in, by name: no DM, no channel we left", () => {
    const timelines = new Map([
      timeline("c2", { name: "zeta", private: true, members: ["me"] }),
      timeline("c1", { name: "alpha", private: false, members: ["me", "ben"] }),
      timeline("c3", { name: "gone", private: false, members: ["ben"] }),
      timeline("d1", { name: "", kind: "dm", private: true, members: ["me", "ben"] }),
      timeline("c4", undefined),
    ]);
    expect(webhookChannels(timelines, "me")).to.deep.equal([
      { channelId: "c1", name: "alpha", private: false },
      { channelId: "c2", name: "zeta", private: true },
    ]);
  });

  it("writes a curl line a shell runs as is, quotes in the text included", () => {
    const url = "https://api.example.com/hooks/abc/def";
    const line = curlExample(url, "it's *done*");
    expect(line).to.equal(`curl -X POST -H 'Content-Type: application/json' -d '{"text":"it'\\''s *done*"}' '${url}'`);
    expect(execFileSync("sh", ["-c", line.replace(/^curl /, "printf '%s\\n' ")], { encoding: "utf8" }).split("\n")).to.include('{"text":"it\'s *done*"}');
  });

  it("says what went wrong in plain words, never the API's codes", () => {
    expect(describeAppError(new ApiError(0, "network", "x"), "create the app")).to.match(/could not be reached/);
    expect(describeAppError(new ApiError(404, "app_not_found", "No such app."), "add the webhook")).to.match(/revoked/);
    expect(describeAppError(new ApiError(403, "forbidden", "Only members can add people to a channel."), "add the webhook")).to.equal("You can add a webhook only to a channel you are in.");
    expect(describeAppError(new ApiError(429, "rate_limited", "x", 3000), "create the app")).to.equal("Too many requests: wait 3 s and try again.");
    expect(describeAppError(new ApiError(409, "too_many_apps", "You have 25 apps, the most one may have; delete one first."), "create the app")).to.equal(
      "You have 25 apps, the most one may have; delete one first.",
    );
    expect(describeAppError(new ApiError(500, "internal_error", "boom"), "revoke the app")).to.match(/^Could not revoke the app: something went wrong/);
    expect(describeAppError(new Error("x"), "read your apps")).to.equal("Could not read your apps. Try again.");
  });

  it("keeps the users views/users marks as bots apart, and tells when they change", async () => {
    const users = [
      { userId: "ann", name: "Ann" },
      { userId: "bot1", name: "Deploy Bot", bot: true },
    ];
    const told: string[][] = [];
    const names = new UserNames({ api: { view: async <T>() => ({ users }) as T }, timers: realTimers, initial: [], onChange: () => {}, onBots: (b) => told.push([...b]) });
    await names.read();
    await names.read();
    expect([...names.bots]).to.deep.equal(["bot1"]);
    expect(told, "told once: the second read changed nothing").to.deep.equal([["bot1"]]);
    expect(names.names.get("bot1")).to.equal("Deploy Bot");
    names.dispose();
  });
});
