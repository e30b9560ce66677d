import { expect } from "chai";
import type { EventInput } from "../../functions/domain/events";
import { appendEvent, type AppendResult } from "../../functions/usecases/appendEvent";
import { claimLeaseMs } from "../../functions/usecases/claims";
import { snapshotAfterReading } from "../../functions/usecases/loadChannel";
import { memoryAdapters } from "../support/memoryPorts";

const alice = "user-alice";
const bob = "user-bob";
const channelId = "11111111-1111-4111-8111-111111111111";
const messageId = "22222222-2222-4222-8222-222222222222";

type Deps = ReturnType<typeof memoryAdapters> & { afterAppend?: () => void };
const send = (deps: Deps, userId: string, input: EventInput, idempotencyKey?: string) => appendEvent({ input, userId, idempotencyKey }, deps);
const accepted = (r: AppendResult) => {
  if (r.kind !== "accepted") throw new Error(`expected accepted, got ${JSON.stringify(r)}`);
  return r.accepted;
};

async function withChannel(): Promise<Deps> {
  const deps = memoryAdapters();
  accepted(await send(deps, alice, { type: "channel_created", channelId, name: "general" }));
  return deps;
}

describe("appendEvent", () => {
  it("stores channel_created at seq 1 of the channel's stream, and publishes nothing itself (the table's stream does)", async () => {
    const deps = memoryAdapters();
    const answer = accepted(await send(deps, alice, { type: "channel_created", channelId, name: "general" }));
    expect(answer).to.include({ stream: `channel-${channelId}`, seq: 1 });
    expect(deps.store.all().map((e) => e.eventId)).to.deep.equal([answer.eventId]);
    expect(deps.bus.published).to.deep.equal([]);
  });

  it("generates a channelId when the client gives none", async () => {
    const deps = memoryAdapters();
    const answer = accepted(await send(deps, alice, { type: "channel_created", name: "random" }));
    expect(answer.stream).to.match(/^channel-[0-9a-f-]{36}$/);
  });

  it("answers a retry with the same Idempotency-Key with the first answer and stores nothing new", async () => {
    const deps = await withChannel();
    const input: EventInput = { type: "message_sent", channelId, messageId, text: "hi" };
    const first = accepted(await send(deps, alice, input, "key-1"));
    const again = accepted(await send(deps, alice, input, "key-1"));
    expect(again).to.deep.equal(first);
    expect(deps.store.all()).to.have.length(2);
  });

  it("stores a message sent twice at once with the same Idempotency-Key (two tabs resending a kept write) once: the other gets the same answer or is told to retry, and its retry gets the first answer", async () => {
    const deps = await withChannel();
    const input: EventInput = { type: "message_sent", channelId, messageId, text: "from two tabs" };
    const answers = await Promise.all([send(deps, alice, input, "key-1"), send(deps, alice, input, "key-1")]);
    const first = answers.find((r) => r.kind === "accepted");
    expect(first).to.not.equal(undefined);
    for (const r of answers) expect(r.kind === "accepted" ? r.accepted : r).to.deep.equal(r.kind === "accepted" ? accepted(first!) : { kind: "busy", reason: "in_progress", retryAfterSeconds: 1 });
    expect(accepted(await send(deps, alice, input, "key-1"))).to.deep.equal(accepted(first!));
    expect(deps.store.all().filter((e) => e.type === "message_sent")).to.have.length(1);
  });

  it("refuses an Idempotency-Key reused with another body (409) and stores nothing", async () => {
    const deps = await withChannel();
    accepted(await send(deps, alice, { type: "message_sent", channelId, messageId, text: "hi" }, "key-1"));
    const other = await send(deps, alice, { type: "message_sent", channelId, messageId: crypto.randomUUID(), text: "yo" }, "key-1");
    expect(other).to.deep.include({ kind: "refused" });
    expect(other.kind === "refused" && other.refusal).to.include({ status: 409, code: "idempotency_key_reused" });
    expect(deps.store.all()).to.have.length(2);
  });

  it("answers a second message_sent with a used messageId with the first answer", async () => {
    const deps = await withChannel();
    const first = accepted(await send(deps, alice, { type: "message_sent", channelId, messageId, text: "hi" }));
    const second = accepted(await send(deps, alice, { type: "message_sent", channelId, messageId, text: "hi" }));
    expect(second).to.deep.equal(first);
    expect(deps.store.all()).to.have.length(2);
  });

  it("refuses another user's message with a messageId already used (409)", async () => {
    const deps = await withChannel();
    accepted(await send(deps, bob, { type: "user_joined_channel", channelId }));
    accepted(await send(deps, alice, { type: "message_sent", channelId, messageId, text: "hi" }));
    const taken = await send(deps, bob, { type: "message_sent", channelId, messageId, text: "mine" });
    expect(taken.kind === "refused" && taken.refusal.code).to.equal("message_id_taken");
  });

  it("refuses a channel name already taken (409) and stores nothing", async () => {
    const deps = await withChannel();
    const taken = await send(deps, bob, { type: "channel_created", name: "general" });
    expect(taken.kind === "refused" && taken.refusal).to.include({ status: 409, code: "name_taken" });
    expect(deps.store.all()).to.have.length(1);
  });

  it("frees the claims of a refused request, so nothing of it is stored", async () => {
    const deps = await withChannel();
    const refused = await send(deps, bob, { type: "message_sent", channelId, messageId, text: "not a member" }, "k");
    expect(refused.kind === "refused" && refused.refusal.status).to.equal(403);
    expect([...deps.claims.items.keys()].filter((k) => !k.startsWith("name#"))).to.deep.equal([]);
  });

  it("after a crash between append and answer, a retry gets the stored event's answer and stores nothing more", async () => {
    const deps = await withChannel();
    const input: EventInput = { type: "message_sent", channelId, messageId, text: "hi" };
    const crashing = { ...deps, afterAppend: () => { throw new Error("crash"); } };
    let crashed = false;
    await send(crashing, alice, input, "key-crash").catch(() => (crashed = true));
    expect(crashed).to.equal(true);
    expect(deps.store.all()).to.have.length(2);
    const retry = accepted(await send(deps, alice, input, "key-crash"));
    expect(retry).to.include({ seq: 2, eventId: deps.store.all().find((e) => e.seq === 2)!.eventId });
    expect(deps.store.all()).to.have.length(2);
  });

  it("after a crash before the append, a retry past the lease takes over and appends the same event once", async () => {
    const deps = await withChannel();
    const input: EventInput = { type: "message_sent", channelId, messageId, text: "hi" };
    const appendOnce = deps.store.append.bind(deps.store);
    deps.store.append = async () => { throw new Error("crash before append"); };
    await send(deps, alice, input, "key-early").catch(() => undefined);
    deps.store.append = appendOnce;
    const tooSoon = await send(deps, alice, input, "key-early");
    expect(tooSoon).to.deep.include({ kind: "busy", reason: "in_progress" });
    deps.advance(claimLeaseMs + 1);
    const retry = accepted(await send(deps, alice, input, "key-early"));
    expect(retry.seq).to.equal(2);
    expect(deps.store.all().filter((e) => e.type === "message_sent")).to.have.length(1);
  });

  it("a run that outlives its lease and appends while a retry takes over is not stored twice", async () => {
    const deps = await withChannel();
    const input: EventInput = { type: "message_sent", channelId, messageId, text: "slow" };
    // The first run stalls before appending, past its lease (a sandbox invocation past its timeout keeps running).
    let resume!: () => void;
    const stalled = new Promise<void>((r) => (resume = r));
    const appendOnce = deps.store.append.bind(deps.store);
    let first = true;
    deps.store.append = async (event) => {
      if (first) {
        first = false;
        await stalled;
      }
      return appendOnce(event);
    };
    const slow = send(deps, alice, input, "key-slow");
    await new Promise((r) => setTimeout(r, 20));
    deps.advance(claimLeaseMs + 1);
    // The retry looks at the claim (not appended yet, lease over) and then the slow run appends, before the retry loads the channel.
    const find = deps.store.find.bind(deps.store);
    let looks = 0;
    deps.store.find = async (...args) => {
      const found = await find(...args);
      if (looks++ === 0) {
        resume();
        await slow;
      }
      return found;
    };
    const retry = accepted(await send(deps, alice, input, "key-slow"));
    const first_ = accepted(await slow);
    expect(retry.eventId).to.equal(first_.eventId);
    expect(deps.store.all().filter((e) => e.type === "message_sent"), "stored once").to.have.length(1);
  });

  it("gives 50 concurrent messages to one channel 50 distinct, gapless seqs", async () => {
    const deps = await withChannel();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => send(deps, alice, { type: "message_sent", channelId, messageId: crypto.randomUUID(), text: `m${i}` })),
    );
    const seqs = answers.map((a) => accepted(a).seq).sort((a, b) => a - b);
    expect(seqs).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 2));
    const positions = deps.store.all().flatMap((e) => (e.type === "message_sent" ? [e.position] : [])).sort((a, b) => a - b);
    expect(positions).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
  });

  it("lets only the author edit or delete a message, and not after it is deleted", async () => {
    const deps = await withChannel();
    accepted(await send(deps, bob, { type: "user_joined_channel", channelId }));
    accepted(await send(deps, alice, { type: "message_sent", channelId, messageId, text: "hi" }));
    const byBob = await send(deps, bob, { type: "message_edited", channelId, messageId, text: "hacked" });
    expect(byBob.kind === "refused" && byBob.refusal.code).to.equal("not_author");
    const edit = accepted(await send(deps, alice, { type: "message_edited", channelId, messageId, text: "hello" }));
    expect(deps.store.all().find((e) => e.eventId === edit.eventId)).to.include({ position: 0, text: "hello" });
    accepted(await send(deps, alice, { type: "message_deleted", channelId, messageId }));
    const afterDelete = await send(deps, alice, { type: "message_edited", channelId, messageId, text: "again" });
    expect(afterDelete.kind === "refused" && afterDelete.refusal.status).to.equal(404);
  });
});

describe("appendEvent when a put succeeded but its answer was lost", () => {
  it("recognises its own event on the 'conflict' of the SDK's retry and stores it once", async () => {
    const deps = await withChannel();
    const append = deps.store.append.bind(deps.store);
    let calls = 0;
    deps.store.append = async (event) => {
      calls++;
      const outcome = await append(event);
      // The first attempt lands, then the SDK retries the same put: it conflicts with itself.
      return calls === 1 ? append(event) : outcome;
    };
    const answer = accepted(await send(deps, alice, { type: "message_sent", channelId, messageId, text: "once" }));
    expect(answer.seq).to.equal(2);
    expect(deps.store.all().filter((e) => e.type === "message_sent")).to.have.length(1);
  });
});

describe("appendEvent after its sender died between append and answer", () => {
  it("still lets the author edit the message: the message's claim is resolved from the stream", async () => {
    const deps = await withChannel();
    const crashing = { ...deps, afterAppend: () => { throw new Error("crash"); } };
    await send(crashing, alice, { type: "message_sent", channelId, messageId, text: "hi" }, "k1").catch(() => undefined);
    const edit = await send(deps, alice, { type: "message_edited", channelId, messageId, text: "hello" });
    expect(edit.kind).to.equal("accepted");
  });
});

describe("appendEvent when its own event landed at a later seq (an abandoned run of the same request appended it)", () => {
  it("writes no snapshot that skips the events before it, so later messages get their true positions", async () => {
    const deps = await withChannel();
    const memberId = await registered(deps, bob);
    const append = deps.store.append.bind(deps.store);
    let first = true;
    deps.store.append = async (event) => {
      if (!first) return append(event);
      first = false;
      // Meanwhile someone's message took this seq, and the earlier run of this very request
      // appended the same event after it: this attempt conflicts, and finds it later on.
      const other = { ...event, eventId: "00000000-0000-4000-8000-0000000000aa", type: "message_sent", messageId: "33333333-3333-4333-8333-333333333333", text: "in between", position: 0, memberId: undefined };
      await append(other as typeof event);
      await append({ ...event, seq: event.seq + 1 });
      return "conflict";
    };
    accepted(await send(deps, alice, { type: "user_joined_channel", channelId, memberId }));
    const next = accepted(await send(deps, alice, { type: "message_sent", channelId, messageId, text: "after" }));
    const sent = deps.store.all().find((e) => e.seq === next.seq && e.stream === next.stream);
    expect(sent).to.include({ type: "message_sent", position: 1 });
  });
});

describe("appendEvent when its own event landed at a later seq, where a snapshot is due", () => {
  it("writes no snapshot of a state that skips the event before it: a container loading the channel afresh gets true positions", async () => {
    const deps = await withChannel();
    const memberId = await registered(deps, bob);
    for (let n = 2; n < snapshotAfterReading + 2; n++) accepted(await send(deps, alice, { type: "message_sent", channelId, messageId: crypto.randomUUID(), text: `${n}` }));
    // A container new to the channel: its load reads every event, so a snapshot is due after its append.
    const cold = { ...deps, store: Object.create(deps.store) as typeof deps.store };
    const append = deps.store.append.bind(deps.store);
    let first = true;
    cold.store.append = async (event) => {
      if (!first) return append(event);
      first = false;
      const other = { ...event, eventId: "00000000-0000-4000-8000-0000000000ab", type: "message_sent", messageId: "33333333-3333-4333-8333-333333333334", text: "in between", position: snapshotAfterReading, memberId: undefined };
      await append(other as typeof event);
      await append({ ...event, seq: event.seq + 1 });
      return "conflict";
    };
    let snapshots = 0;
    const writeSnapshot = deps.store.writeSnapshot.bind(deps.store);
    cold.store.writeSnapshot = (...args) => (snapshots++, writeSnapshot(...args));
    expect(accepted(await send(cold, alice, { type: "user_joined_channel", channelId, memberId })).seq).to.equal(snapshotAfterReading + 3);
    expect(snapshots).to.equal(0);
    // Another container again: the same data, none of the others' kept states.
    const fresh = { ...deps, store: Object.create(deps.store) as typeof deps.store };
    const next = accepted(await send(fresh, alice, { type: "message_sent", channelId, messageId, text: "after" }));
    expect(deps.store.all().find((e) => e.seq === next.seq && e.stream === next.stream)).to.include({ type: "message_sent", position: snapshotAfterReading + 1 });
  });
});

async function registered(deps: Deps, userId: string): Promise<string> {
  await deps.store.append({ type: "user_registered", eventId: `reg-${userId}`, stream: `user-${userId}`, seq: 1, timestamp: deps.now().toISOString(), userId, name: "Bob" });
  return userId;
}

describe("appendEvent after a deletion's request died between append and answer", () => {
  it("counts the message as deleted: an edit and a second deletion answer 404, and nothing more is stored", async () => {
    const deps = await withChannel();
    accepted(await send(deps, alice, { type: "message_sent", channelId, messageId, text: "hi" }));
    const crashing = { ...deps, afterAppend: () => { throw new Error("crash"); } };
    await send(crashing, alice, { type: "message_deleted", channelId, messageId }).catch(() => undefined);
    const stored = deps.store.all().length;
    const edit = await send(deps, alice, { type: "message_edited", channelId, messageId, text: "back?" });
    expect(edit).to.deep.include({ kind: "refused" });
    expect(edit.kind === "refused" && edit.refusal.status).to.equal(404);
    const again = await send(deps, alice, { type: "message_deleted", channelId, messageId });
    expect(again.kind === "refused" && again.refusal.status).to.equal(404);
    expect(deps.store.all()).to.have.length(stored);
  });

  it("answers the deletion's own retry (same Idempotency-Key) with its first answer", async () => {
    const deps = await withChannel();
    accepted(await send(deps, alice, { type: "message_sent", channelId, messageId, text: "hi" }));
    const crashing = { ...deps, afterAppend: () => { throw new Error("crash"); } };
    await send(crashing, alice, { type: "message_deleted", channelId, messageId }, "del-1").catch(() => undefined);
    const retry = accepted(await send(deps, alice, { type: "message_deleted", channelId, messageId }, "del-1"));
    expect(retry.seq).to.equal(3);
  });
});

describe("appendEvent when the snapshot cannot be written", () => {
  it("still answers 202 and stores the event: a snapshot is best effort", async () => {
    const deps = await withChannel();
    const memberId = await registered(deps, bob);
    for (let n = 2; n < snapshotAfterReading + 2; n++) accepted(await send(deps, alice, { type: "message_sent", channelId, messageId: crypto.randomUUID(), text: `${n}` }));
    const cold = { ...deps, store: Object.create(deps.store) as typeof deps.store };
    let tried = 0;
    cold.store.writeSnapshot = async () => {
      tried++;
      throw new Error("ProvisionedThroughputExceededException");
    };
    const joined = accepted(await send(cold, alice, { type: "user_joined_channel", channelId, memberId }));
    expect(tried, "a snapshot was due after a load of every event").to.equal(1);
    expect(deps.store.all().filter((e) => e.stream === joined.stream).map((e) => e.seq)).to.include(joined.seq);
  });
});

describe("appendEvent retried after its lease ran out", () => {
  it("renews the lease of the message's claim it holds, so a concurrent send of the same messageId cannot take it over too", async () => {
    const deps = await withChannel();
    const input: EventInput = { type: "message_sent", channelId, messageId, text: "hi" };
    const append = deps.store.append.bind(deps.store);
    deps.store.append = async () => {
      throw new Error("crash before append");
    };
    await send(deps, alice, input, "key-a").catch(() => undefined);
    deps.advance(claimLeaseMs + 1);
    // The retry of "key-a" re-takes its claims; just before it appends, the same message is sent under another key.
    let other: AppendResult | undefined;
    deps.store.append = async (event) => {
      deps.store.append = append;
      other = await send(deps, alice, input, "key-b");
      return append(event);
    };
    accepted(await send(deps, alice, input, "key-a"));
    expect(other?.kind).to.not.equal(undefined);
    expect(deps.store.all().filter((e) => e.type === "message_sent")).to.have.length(1);
  });
});

describe("appendEvent deleting in a busy channel", () => {
  it("deletes the message when another event took its place first: its own deletion claim does not count against it", async () => {
    const deps = await withChannel();
    const memberId = await registered(deps, bob);
    accepted(await send(deps, alice, { type: "message_sent", channelId, messageId, text: "my password is hunter2" }));
    const append = deps.store.append.bind(deps.store);
    let raced = false;
    deps.store.append = async (event) => {
      if (!raced && event.type === "message_deleted") {
        raced = true;
        deps.store.append = append;
        accepted(await send(deps, alice, { type: "user_joined_channel", channelId, memberId }));
      }
      return append(event);
    };
    const deleted = accepted(await send(deps, alice, { type: "message_deleted", channelId, messageId }));
    expect(raced).to.equal(true);
    expect(deps.store.all().find((e) => e.seq === deleted.seq && e.stream === deleted.stream)).to.include({ type: "message_deleted", messageId });
  });
});

describe("appendEvent on a message many act on", () => {
  it("reads the message's claim and finds its event once per container, however many replies and reactions follow; a deletion still counts at once", async () => {
    const deps = await withChannel();
    accepted(await send(deps, alice, { type: "message_sent", channelId, messageId, text: "announcement" }));
    let finds = 0;
    const find = deps.store.find.bind(deps.store);
    deps.store.find = (...args) => (finds++, find(...args));
    for (let i = 0; i < 5; i++) accepted(await send(deps, alice, { type: "reaction_added", channelId, messageId, emoji: `e${i}` }));
    for (let i = 0; i < 5; i++) accepted(await send(deps, alice, { type: "message_sent", channelId, messageId: crypto.randomUUID(), threadId: messageId, text: `re ${i}` }));
    expect(finds, "the message's event looked for once").to.equal(1);
    accepted(await send(deps, alice, { type: "message_deleted", channelId, messageId }));
    const late = await send(deps, alice, { type: "reaction_added", channelId, messageId, emoji: "late" });
    expect(late.kind === "refused" && late.refusal.status).to.equal(404);
  });
});
