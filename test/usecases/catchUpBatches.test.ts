/**
 * Catch-ups read the store a batch at a time (`catchUpBatch`, and the mentions runner's own
 * batch of 1,000) and must go on ("more") until the stream's end: a channel longer than one
 * batch is caught up whole, live (one run woken by the last event, finding the views empty)
 * and by a rebuild. Memory ports, no sandbox.
 */
import { expect } from "chai";
import type { ChannelEvent, StoredEvent } from "../../functions/domain/events";
import { type ChannelHead, type ChannelPage, pageSize } from "../../functions/domain/projections/channel";
import type { Mention } from "../../functions/domain/projections/mentions";
import { catchUpBatch, project } from "../../functions/usecases/project";
import { readView } from "../../functions/usecases/readView";
import { rebuild } from "../../functions/usecases/rebuild";
import { ChannelHistory, messageId, registered } from "../support/domainFixtures";
import { memoryAdapters } from "../support/memoryPorts";

/** The mentions runner's batch (functions/usecases/projectMentions.ts, not exported). */
const mentionsBatch = 1000;

/**
 * A channel of `length` events: created, Ben joins, Ann's messages (those at `mentionsAt`,
 * a seq in the stream, names Ben), an edit and a deletion of messages on the
 * first, long sealed page, then messages up to the end.
 */
function longChannel(length: number, mentionsAt: readonly number[]) {
  const history = new ChannelHistory();
  history.created("u-ann");
  history.joined("u-ben");
  let n = 0;
  const send = () => {
    const seq = history.events.length + 1;
    history.sent("u-ann", messageId(n), mentionsAt.includes(seq) ? `message ${n}: hey @ben, look` : `message ${n}`);
    n++;
  };
  while (history.events.length < length - 9) send();
  history.edited("u-ann", messageId(0), "the first message, edited late");
  history.deleted("u-ann", messageId(1));
  while (history.events.length < length) send();
  return { events: history.events, channelId: history.channelId, messages: n };
}

async function stored(events: readonly StoredEvent[]) {
  const deps = memoryAdapters();
  await deps.store.append(registered("u-ann", "Ann"));
  await deps.store.append(registered("u-ben", "Ben"));
  for (const event of events) await deps.store.append(event);
  const read = async <T>(path: string, userId = "u-ann") => {
    const found = await readView(path, userId, deps.views);
    if (found.kind !== "view") throw new Error(`${path}: ${found.refusal.status} ${found.refusal.code}`);
    return JSON.parse(found.body) as T;
  };
  return { deps, read };
}

type Read = Awaited<ReturnType<typeof stored>>["read"];

/** The head counts every event and message; the first and last pages hold what the stream says. */
async function expectWholeChannel(read: Read, channel: ReturnType<typeof longChannel>) {
  const { channelId, events, messages } = channel;
  const head = await read<ChannelHead>(`channels/${channelId}`);
  expect(head).to.include({ lastSeq: events.length, messageCount: messages, pageCount: Math.ceil(messages / pageSize) });
  expect(head.members).to.deep.equal(["u-ann", "u-ben"]);
  const last = await read<ChannelPage>(`channels/${channelId}/pages/${head.pageCount - 1}`);
  const firstOnLast = (head.pageCount - 1) * pageSize;
  expect(last.messages.map((m) => m?.messageId)).to.deep.equal(Array.from({ length: messages - firstOnLast }, (_, i) => messageId(firstOnLast + i)));
  expect(last.messages.at(-1)?.seq).to.equal(events.length);
  const first = await read<ChannelPage>(`channels/${channelId}/pages/0`);
  expect(first.messages[0]).to.include({ text: "the first message, edited late" });
  expect(first.messages[1]).to.include({ text: "", deleted: true });
}

const lastOf = (events: readonly ChannelEvent[]) => events.at(-1)!;

describe("catch-ups longer than one batch", function () {
  this.timeout(60_000);

  it(`brings a channel of ${catchUpBatch + 201} events whole into its views in one live run, batch after batch`, async () => {
    const channel = longChannel(catchUpBatch + 201, []);
    const { deps, read } = await stored(channel.events);
    // Every earlier run left its write to a later one (or was lost): the last event's run finds the views empty.
    await project("channel", lastOf(channel.events), { store: deps.store, views: deps.views });
    await expectWholeChannel(read, channel);
  });

  it(`rebuilds a channel of ${2 * catchUpBatch + 401} events whole (more than the two batches a build and its after-switch pass would take one each)`, async () => {
    const channel = longChannel(2 * catchUpBatch + 401, []);
    const { deps, read } = await stored(channel.events);
    const report = await rebuild("channel", deps);
    expect(report.events).to.equal(channel.events.length);
    await expectWholeChannel(read, channel);
  });

  it(`finds a mention at seq ${mentionsBatch + 150} of a channel in one live run of the mentions projection`, async () => {
    const at = mentionsBatch + 150;
    const channel = longChannel(mentionsBatch + 201, [at]);
    const { deps, read } = await stored(channel.events);
    for (const event of deps.store.all().filter((e) => e.type === "user_registered")) await project("mentions", event, { store: deps.store, views: deps.views });
    await project("mentions", lastOf(channel.events), { store: deps.store, views: deps.views });
    const { mentions } = await read<{ mentions: Mention[] }>("users/me/mentions", "u-ben");
    expect(mentions.map((m) => m.seq)).to.deep.equal([at]);
    expect(mentions[0]).to.include({ channelId: channel.channelId, userId: "u-ann" });
  });

  it(`rebuilds the mentions of a channel of ${2 * mentionsBatch + 401} events, the third batch's too`, async () => {
    const at = [mentionsBatch + 150, 2 * mentionsBatch + 150];
    const channel = longChannel(2 * mentionsBatch + 401, at);
    const { deps, read } = await stored(channel.events);
    await rebuild("mentions", deps);
    const { mentions } = await read<{ mentions: Mention[] }>("users/me/mentions", "u-ben");
    expect(mentions.map((m) => m.seq)).to.deep.equal([...at].reverse()); // newest first
  });
});
