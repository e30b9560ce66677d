/** The browser's channel directory: the view, kept current by pushes, never losing what the view has not caught up with. */
import { expect } from "chai";
import type { DirectoryEntry } from "../../functions/domain/projections/directory";
import { applyPushed, mergeDirectory } from "../../web/src/state/directory";
import { ChannelHistory, channelIds } from "../support/domainFixtures";

const entry = (channelId: string, name: string, lastSeq: number, memberCount = 1): DirectoryEntry => ({ channelId, kind: "channel", name, topic: "", private: false, memberCount, lastSeq });

describe("web directory", () => {
  it("adds a pushed public channel and counts pushed joins", () => {
    const h = new ChannelHistory(channelIds.random);
    const listed = applyPushed([], h.created("u-ann", { name: "random" }));
    expect(listed).to.deep.equal([entry(channelIds.random, "random", 1)]);
    expect(applyPushed(listed, h.joined("u-ben"))).to.deep.equal([entry(channelIds.random, "random", 2, 2)]);
  });

  it("leaves the directory alone for events of channels it does not list", () => {
    const listed = [entry(channelIds.general, "general", 3)];
    const h = new ChannelHistory(channelIds.random);
    h.created("u-ann", { name: "random" });
    expect(applyPushed(listed, h.joined("u-ben"))).to.equal(listed);
  });

  it("keeps, on a fresh read of a lagging view, the channels and counts pushes brought", () => {
    const local = [entry(channelIds.general, "general", 5, 3), entry(channelIds.random, "random", 1)];
    const read = [entry(channelIds.general, "general", 4, 2), entry(channelIds.secret, "secret", 9)];
    expect(mergeDirectory(local, read).map((e) => [e.name, e.lastSeq])).to.deep.equal([
      ["general", 5],
      ["random", 1],
      ["secret", 9],
    ]);
  });
});
