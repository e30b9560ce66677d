/** The channel directory (`views/channels`, CONTRACT §5): one entry per channel, sorted by name. */
import { expect } from "chai";
import { applyToDirectory, type Directory, emptyDirectory, emptyListing, foldEntry, listChannel } from "../../functions/domain/projections/directory";
import { ChannelHistory, channelIds, Clock, messageId } from "../support/domainFixtures";

const [ann, ben, cat] = ["u-ann", "u-ben", "u-cat"];

function general() {
  const h = new ChannelHistory(channelIds.general);
  h.created(ann, { name: "general", topic: "everything" });
  h.joined(ben);
  h.joined(ben, cat);
  h.left(ann);
  h.sent(ben, messageId(1));
  h.edited(ben, messageId(1), "fixed");
  h.deleted(ben, messageId(1));
  return h;
}

describe("channel directory", () => {
  it("folds a channel's stream into one entry with exactly the contract's fields", () => {
    expect(applyToDirectory(emptyDirectory, general().events)).to.deep.equal({
      channels: [{ channelId: channelIds.general, kind: "channel", name: "general", topic: "everything", private: false, memberCount: 2, lastSeq: 7 }],
    });
  });

  it("counts the creator as the first member", () => {
    const h = new ChannelHistory(channelIds.secret);
    h.created(ann, { name: "secret", private: true });
    expect(applyToDirectory(emptyDirectory, h.events).channels).to.deep.equal([
      { channelId: channelIds.secret, kind: "channel", name: "secret", topic: "", private: true, memberCount: 1, lastSeq: 1, members: [ann] },
    ]);
  });

  it("moves lastSeq with every event, messages included, without changing memberCount", () => {
    const h = general();
    const before = applyToDirectory(emptyDirectory, h.events);
    h.sent(cat, messageId(2));
    const after = applyToDirectory(before, h.events.slice(-1));
    expect(after.channels[0]).to.deep.equal({ ...before.channels[0], lastSeq: 8 });
  });

  it("gives the same directory whether a stream comes in one batch or several", () => {
    const events = general().events;
    const whole = applyToDirectory(emptyDirectory, events);
    const parts = [events.slice(0, 2), events.slice(2, 5), events.slice(5)].reduce(applyToDirectory, emptyDirectory);
    expect(parts).to.deep.equal(whole);
  });

  it("changes nothing when events are applied again, alone or overlapping new ones", () => {
    const events = general().events;
    const whole = applyToDirectory(emptyDirectory, events);
    expect(applyToDirectory(whole, events)).to.equal(whole);
    expect(applyToDirectory(whole, events.slice(2, 4))).to.equal(whole);
    const overlapping = [events.slice(0, 5), events.slice(2)].reduce(applyToDirectory, emptyDirectory);
    expect(overlapping).to.deep.equal(whole);
  });

  it("keeps a channel_created applied again from resetting the entry", () => {
    const events = general().events;
    const whole = applyToDirectory(emptyDirectory, events);
    expect(applyToDirectory(whole, events.slice(0, 1))).to.deep.equal(whole);
  });

  it("sorts channels by name, whatever order they were created in, and by channelId on equal names", () => {
    const clock = new Clock();
    const streams = [
      ["zeta", "cccccccc-0000-4000-8000-000000000001"],
      ["alpha", "cccccccc-0000-4000-8000-000000000002"],
      ["mid-2", "cccccccc-0000-4000-8000-000000000004"],
      ["mid-2", "cccccccc-0000-4000-8000-000000000003"],
      ["mid", "cccccccc-0000-4000-8000-000000000005"],
    ].map(([name, id]) => {
      const h = new ChannelHistory(id, clock);
      h.created(ann, { name });
      return h.events;
    });
    const directory = streams.reduce(applyToDirectory, emptyDirectory);
    expect(directory.channels.map((c) => `${c.name}/${c.channelId.slice(-1)}`)).to.deep.equal(["alpha/2", "mid/5", "mid-2/3", "mid-2/4", "zeta/1"]);
  });

  it("updates a channel's entry in place among others", () => {
    const clock = new Clock();
    const a = new ChannelHistory(channelIds.general, clock);
    const b = new ChannelHistory(channelIds.random, clock);
    a.created(ann, { name: "general" });
    b.created(ben, { name: "random", private: true });
    let directory: Directory = [a.events, b.events].reduce(applyToDirectory, emptyDirectory);
    directory = applyToDirectory(directory, [a.joined(cat)]);
    expect(directory.channels).to.deep.equal([
      { channelId: channelIds.general, kind: "channel", name: "general", topic: "", private: false, memberCount: 2, lastSeq: 2 },
      { channelId: channelIds.random, kind: "channel", name: "random", topic: "", private: true, memberCount: 1, lastSeq: 1, members: [ben] },
    ]);
  });

  it("returns the directory unchanged for an empty batch", () => {
    const directory = applyToDirectory(emptyDirectory, general().events);
    expect(applyToDirectory(directory, [])).to.equal(directory);
  });

  it("folds one channel's entry on its own, as the directory's reader lists it", () => {
    const events = general().events;
    expect(foldEntry(undefined, events)).to.deep.equal(applyToDirectory(emptyDirectory, events).channels[0]);
    expect(foldEntry(undefined, events.slice(1))).to.equal(undefined);
  });

  it("keeps a private channel's members as its stream has them (a public channel's it does not keep)", () => {
    const h = new ChannelHistory(channelIds.secret);
    h.created(ann, { name: "secret", private: true });
    h.joined(ann, ben);
    h.joined(ann, cat);
    h.left(ben);
    expect(foldEntry(undefined, h.events)).to.deep.include({ memberCount: 2, members: [ann, cat] });
    expect(foldEntry(undefined, general().events)).to.not.have.property("members");
  });

  it("lists each channel once, by id, with its privacy", () => {
    const listing = [
      { channelId: channelIds.secret, private: true },
      { channelId: channelIds.general, private: false },
      { channelId: channelIds.secret, private: true },
    ].reduce(listChannel, emptyListing);
    expect(listing.channels).to.deep.equal([
      { channelId: channelIds.general, private: false },
      { channelId: channelIds.secret, private: true },
    ]);
    expect(listChannel(listing, { channelId: channelIds.general, private: false })).to.equal(listing);
  });
});
