/**
 * The bench's key kinds: concrete keys map to patterns that name what is hot, whether a
 * kind is shared across channels, and the most one key of a kind took (not the kind's sum).
 */
import { expect } from "chai";
import { Counters } from "../../bench/counters";
import { countKeyWrite, learnIds, patternOf, scopeOf, writesByPattern } from "../../bench/keys";

const channel = "6f1c2a9e-1b2c-4d3e-8f40-123456789abc";
const other = "0a0b0c0d-1111-4222-8333-444455556666";
const user = "9e8d7c6b-5a49-4382-b1a0-fedcba987654";

describe("bench key kinds", () => {
  it("maps the event table's keys to their kinds, ids and people's strings replaced", () => {
    expect(patternOf(`channel-${channel}`)).to.equal("channel-<channelId>");
    expect(patternOf(`user-${user}`)).to.equal("user-<userId>");
    expect(patternOf(`claim#idem#${user}#my key#with hashes`)).to.equal("claim#idem#<userId>#<key>");
    expect(patternOf(`claim#message#${channel}#${other}`)).to.equal("claim#message#<channelId>#<messageId>");
    expect(patternOf("claim#name#general-2")).to.equal("claim#name#<name>");
    expect(patternOf(`snapshot#channel-${channel}#42`)).to.equal("snapshot#channel-<channelId>#<version>");
    expect(patternOf(`readmarks#${user}`)).to.equal("readmarks#<userId>");
    expect(patternOf("pending#17")).to.equal("pending#<shard>");
    expect(patternOf("pending")).to.equal("pending");
  });

  it("maps view keys generically: generation, ids by what they were learned to be, numbers", () => {
    const ids = learnIds([`channel-${channel}`, `readmarks#${user}`]);
    expect(patternOf(`channel/g0/channels/${channel}/head.json`, ids)).to.equal("channel/<gen>/channels/<channelId>/head.json");
    expect(patternOf(`channel/g1700000000/channels/${channel}/pages/12.json`, ids)).to.equal("channel/<gen>/channels/<channelId>/pages/<page>.json");
    expect(patternOf(`mentions/g0/mentions/${user}.json`, ids)).to.equal("mentions/<gen>/mentions/<userId>.json");
    expect(patternOf(`directory/g0/entries/${other}.json`, ids)).to.equal("directory/<gen>/entries/<id>.json");
    expect(patternOf("generations.json", ids)).to.equal("generations.json");
    expect(patternOf("channel/g0/channels.json", ids)).to.equal("channel/<gen>/channels.json");
  });

  it("says which kinds are shared across channels, and over how many shards", () => {
    expect(scopeOf("channel-<channelId>")).to.deep.equal({ shared: false });
    expect(scopeOf("claim#idem#<userId>#<key>")).to.deep.equal({ shared: false });
    expect(scopeOf("directory/<gen>/entries/<id>.json")).to.deep.equal({ shared: false });
    expect(scopeOf("pending#<shard>")).to.deep.equal({ shared: true, shards: 32 });
    expect(scopeOf("pending")).to.deep.equal({ shared: true, shards: 1 });
    expect(scopeOf("channel/<gen>/channels.json")).to.deep.equal({ shared: true, shards: 1 });
  });

  it("sums writes by kind and keeps the most any one key took, all of them and those that took effect", () => {
    const counters = new Counters();
    countKeyWrite(counters, "dynamodb:events", `channel-${channel}`, 3);
    countKeyWrite(counters, "dynamodb:events", `channel-${channel}`, 2, true);
    countKeyWrite(counters, "dynamodb:events", `channel-${other}`, 4);
    countKeyWrite(counters, "s3:views", `channel/g0/channels/${channel}/head.json`, 1);
    countKeyWrite(counters, "s3:views", "odd|key", 4);
    const kinds = writesByPattern(counters.snapshot());
    expect(kinds).to.deep.equal([
      { store: "dynamodb:events", pattern: "channel-<channelId>", keys: 2, writes: 9, refused: 2, maxKeyWrites: 5, maxKeyWritesTookEffect: 4 },
      { store: "s3:views", pattern: "odd|key", keys: 1, writes: 4, refused: 0, maxKeyWrites: 4, maxKeyWritesTookEffect: 4 },
      { store: "s3:views", pattern: "channel/<gen>/channels/<channelId>/head.json", keys: 1, writes: 1, refused: 0, maxKeyWrites: 1, maxKeyWritesTookEffect: 1 },
    ]);
  });
});
