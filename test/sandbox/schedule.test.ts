import type { ScheduledEvent } from "aws-lambda";
import { expect } from "chai";
import * as schedule from "../../infra/local/schedule";
import { removeDir, tempDataDir, testContext } from "../support/sandboxContext";

describe("sandbox re-publisher schedule", () => {
  let dir: string;
  before(async () => {
    dir = await tempDataDir();
  });
  after(() => removeDir(dir));

  it("calls the republish handler every interval with a Scheduled Event, and goes on after a failure", async () => {
    const calls: ScheduledEvent[] = [];
    const errors: string[] = [];
    const ctx = {
      ...testContext(dir, {
        republish: async (event) => {
          calls.push(event);
          if (calls.length === 1) throw new Error("store unreachable");
          return { republished: 0 };
        },
      }),
      log: (level: string, message: string) => void (level === "error" && errors.push(message)),
    };
    const service = await schedule.start(ctx, 20);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await service.stop();
    expect(calls.length).to.be.at.least(3);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.contain("store unreachable");
    expect(calls[0]).to.include({ version: "0", "detail-type": "Scheduled Event", source: "aws.events", region: "us-east-1" });
    expect(calls[0]!.resources).to.have.length(1);
  });

  it("never runs two calls at once, and stops calling once stopped", async () => {
    let running = 0;
    let most = 0;
    let count = 0;
    const service = await schedule.start(
      testContext(dir, {
        republish: async () => {
          most = Math.max(most, ++running);
          count++;
          await new Promise((resolve) => setTimeout(resolve, 30));
          running--;
        },
      }),
      1,
    );
    await Promise.all([service.runNow(), service.runNow()]);
    await service.stop();
    const after = count;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(most).to.equal(1);
    expect(count).to.equal(after);
  });
});
