/**
 * What the design carries on AWS, derived from counts: one channel is bounded by the
 * hottest key of every kind it writes, the whole system only by keys shared across
 * channels (a sharded kind by its even share), S3 keys written under a condition by one
 * writer at a time, and the default quotas apart.
 */
import { expect } from "chai";
import { type Counts, Counters } from "../../bench/counters";
import { countConditionalPut, countKeyWrite } from "../../bench/keys";
import { awsScale, type Phase } from "../../bench/scale";

const a = "6f1c2a9e-1b2c-4d3e-8f40-123456789abc";
const b = "0a0b0c0d-1111-4222-8333-444455556666";

function phase(messages: number, fill: (c: Counters) => void): Phase {
  const counters = new Counters();
  fill(counters);
  return { counts: counters.snapshot(), messages };
}

const none: Phase = { counts: {}, messages: 1 };

describe("bench scale on AWS", () => {
  it("bounds one channel by its hottest key, per key and not per kind", () => {
    const hot = phase(100, (c) => {
      countKeyWrite(c, "dynamodb:events", `channel-${a}`, 300);
      countKeyWrite(c, "dynamodb:events", `channel-${a}`, 100, true); // 4 units a message, 1 of them refused: 250/s, 333/s without refusals
      countKeyWrite(c, "dynamodb:events/unpublished", "pending#3", 200); // 2 a message: 500/s
      for (let i = 0; i < 100; i++) countKeyWrite(c, "dynamodb:events", `claim#idem#${b}#k${i}`, 1);
    });
    const aws = awsScale({ hotChannel: hot, throughput: none, alone: none });
    expect(aws.channelMessagesPerSecond).to.equal(250);
    expect(aws.channelLimitingKey).to.equal("channel-<channelId>");
    expect(aws.channelMessagesPerSecondWithoutRefusals).to.equal(333);
    const claims = aws.keys.find((k) => k.key === "claim#idem#<userId>#<key>")!;
    expect(claims.writesPerMessage.hotChannel).to.equal(0.01);
    expect(claims.channelMessagesPerSecond).to.equal(100_000);
  });

  it("bounds the system only by keys shared across channels: a single key whole, a sharded one by its share", () => {
    const spread = phase(1000, (c) => {
      countKeyWrite(c, "dynamodb:events", `channel-${a}`, 2000);
      countKeyWrite(c, "dynamodb:events", `channel-${b}`, 2000);
      countKeyWrite(c, "dynamodb:events/unpublished", "pending#3", 1200);
      countKeyWrite(c, "dynamodb:events/unpublished", "pending#7", 800);
    });
    const sharded = awsScale({ hotChannel: none, throughput: spread, alone: none });
    // 2 index writes a message over 32 shards: 1,000 / (2 / 32).
    expect(sharded.systemMessagesPerSecond).to.equal(16_000);
    expect(sharded.limitingKey).to.equal("pending#<shard>");
    expect(sharded.keys.find((k) => k.key === "channel-<channelId>")!.systemMessagesPerSecond).to.equal(null);

    const single = phase(1000, (c) => {
      countKeyWrite(c, "dynamodb:events", `channel-${a}`, 2000);
      countKeyWrite(c, "dynamodb:connections", "all", 500);
    });
    const hotSpot = awsScale({ hotChannel: none, throughput: single, alone: none });
    expect(hotSpot.systemMessagesPerSecond).to.equal(2000);
    expect(hotSpot.limitingKey).to.equal("all");

    const perChannelOnly = awsScale({ hotChannel: none, throughput: phase(10, (c) => countKeyWrite(c, "dynamodb:events", `channel-${a}`, 30)), alone: none });
    expect(perChannelOnly.systemMessagesPerSecond).to.equal(null);
    expect(perChannelOnly.limitingKey).to.equal(null);
  });

  it("lets an S3 key written under a condition take one writer at a time: 1 / the PUT's duration, AWS's at least", () => {
    const hot = phase(100, (c) => {
      countKeyWrite(c, "dynamodb:events", `channel-${a}`, 1);
      countKeyWrite(c, "s3:views", `channel/g0/channels/${a}/head.json`, 50);
      for (let i = 0; i < 50; i++) countConditionalPut(c, "s3:views", 200);
    });
    const head = (aws: ReturnType<typeof awsScale>) => aws.keys.find((k) => k.key === "channel/<gen>/channels/<channelId>/head.json")!;
    // Measured alone at 40 ms: 25 writes a second, half a write a message: 50 messages a second.
    const slow = awsScale({ hotChannel: hot, throughput: none, alone: phase(1, (c) => countConditionalPut(c, "s3:views", 40)) });
    expect(slow.s3ConditionalPutMs).to.equal(40);
    expect(slow.s3ConditionalPutMsMeasured).to.deep.equal({ eachAlone: 40, hotChannel: 200 });
    expect(head(slow).limitPerSecond).to.equal(25);
    expect(head(slow).channelMessagesPerSecond).to.equal(50);
    // Faster here than S3 over a network: AWS's 20 ms count.
    const fast = awsScale({ hotChannel: hot, throughput: none, alone: phase(1, (c) => countConditionalPut(c, "s3:views", 2)) });
    expect(fast.s3ConditionalPutMs).to.equal(20);
    expect(head(fast).limitPerSecond).to.equal(50);
    const unconditional = awsScale({ hotChannel: phase(100, (c) => countKeyWrite(c, "s3:views", "x.json", 50)), throughput: none, alone: none });
    expect(unconditional.keys[0]!.limitPerSecond).to.equal(3500);
  });

  it("derives the default quotas apart, from requests, invocations and function time per message", () => {
    const counts: Counts = {
      "events|store|putEvents|n": 100,
      "lambda|store|n": 100,
      "lambda|store|ms": 5000,
      "lambda|projection-channel|n": 100,
      "lambda|projection-channel|ms": 10_000,
      "lambda|notify|n": 100,
      "lambda|notify|ms": 5000,
      // The baseline is not ours to deploy: its functions count for nothing.
      "lambda|baseline-channel|n": 100,
      "lambda|baseline-channel|ms": 100_000,
      "ddb|store|events|PutItem|ok|n": 300,
      "ddb|store|events|PutItem|ok|wcu": 300,
      "ddb|store|events|PutItem|ok|wcuIndex": 200,
    };
    const aws = awsScale({ hotChannel: none, throughput: none, alone: { counts, messages: 100 } });
    const quota = (name: string) => aws.quotas.find((q) => q.quota.startsWith(name))!;
    expect(quota("EventBridge PutEvents").messagesPerSecond).to.equal(10_000);
    expect(quota("EventBridge invocations").perMessage).to.equal(2);
    // 0.2 s of function time a message: 1,000 concurrent executions carry 5,000 a second.
    expect(quota("Lambda concurrent executions").perMessage).to.equal(0.2);
    expect(quota("Lambda concurrent executions").messagesPerSecond).to.equal(5000);
    expect(quota("Lambda concurrent executions").neededForTarget).to.equal(2000);
    expect(quota("DynamoDB on-demand table write throughput: events").perMessage).to.equal(3);
    expect(quota("DynamoDB on-demand table write throughput: events's indexes").perMessage).to.equal(2);
    expect(aws.quotaMessagesPerSecond).to.equal(5000);
    expect(aws.limitingQuota).to.equal("Lambda concurrent executions");
  });
});
