import { expect } from "chai";
import fc from "fast-check";
import { compareTs, parseBound, parseTs, tsOf } from "../../functions/slack/ts";

describe("Slack ts codec", () => {
  it("writes the unix seconds of the message's time and its seq, zero-padded to 6", () => {
    expect(tsOf("2026-11-30T12:00:05.999Z", 42)).to.equal("1796040005.000042");
    expect(tsOf("2026-11-30T12:00:05.000Z", 1_234_567)).to.equal("1796040005.1234567");
  });

  it("reads back what it wrote, for any time and seq (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (ms, seq) => {
        const ts = tsOf(new Date(ms).toISOString(), seq);
        expect(parseTs(ts)).to.deep.equal({ seconds: Math.floor(ms / 1000), seq });
      }),
    );
  });

  it("finds nothing in what it never writes: no seq, seq 0, short or signed parts, text, undefined", () => {
    for (const bad of [undefined, "", "1700000000", "1700000000.", "1700000000.000000", "1700000000.12345", "-1.000001", "1700000000.00000a", " 1700000000.000001", "x.000001", "1e3.000001"]) {
      expect(parseTs(bad), String(bad)).to.equal(undefined);
    }
  });

  it("orders ts values by time, then by seq within a second", () => {
    const sorted = ["1700000000.000009", "1700000000.000010", "1700000001.000002"].map((t) => parseTs(t)!);
    expect(compareTs(sorted[0]!, sorted[1]!)).to.be.below(0);
    expect(compareTs(sorted[1]!, sorted[2]!)).to.be.below(0);
    expect(compareTs(sorted[2]!, sorted[2]!)).to.equal(0);
  });

  it("takes oldest/latest as plain times too, the fraction in millionths", () => {
    expect(parseBound("0")).to.deep.equal({ seconds: 0, seq: 0 });
    expect(parseBound("1700000000.5")).to.deep.equal({ seconds: 1700000000, seq: 500000 });
    expect(parseBound("1700000000.000042")).to.deep.equal({ seconds: 1700000000, seq: 42 });
    expect(parseBound("soon")).to.equal(undefined);
  });
});
