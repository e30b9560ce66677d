/**
 * POST /events: decide on a client's event and append it to its channel's stream.
 *
 * Where the store can die, and what a retry with the same Idempotency-Key gets:
 * - before any claim: nothing happened; the retry runs afresh.
 * - after claiming, before appending: the claims are pending; once their lease runs out a
 *   retry takes them over and appends the very same prepared event (same ids).
 * - after appending, before answering: the retry finds the event in the stream after the
 *   claim's `afterSeq` and gives its answer. (Every request leaves its claims so: answers
 *   are found by whoever meets them later.)
 * Publishing is not this function's: the table's stream carries every appended event to
 *   the publisher (functions/publish), whether or not this invocation lives on.
 */
import { createHash } from "node:crypto";
import { type ChannelInput, decide, decideCreate, type MessageFacts } from "../domain/channel/decide";
import { decideOpenDm } from "../domain/channel/dm";
import { dmChannelId } from "../domain/channel/dmChannelId";
import { type ChannelEvent, channelStream, type EventInput, isChannelEvent, type NewEvent, type StoredEvent, type UserEvent, userStream } from "../domain/events";
import { decideRename, foldUser, initialUserState, type UserState } from "../domain/user/decide";
import { isRefusal, type Refusal, refuse } from "../domain/refusal";
import type { Accepted, Claim, ClaimStore, EventStore } from "../ports";
import { acceptedOf, claimLeaseMs, resolveClaim, takeClaim } from "./claims";
import { catchUp, type LoadedChannel, loadChannel, recordAppended } from "./loadChannel";
import { BoundedCache } from "./boundedCache";

export interface AppendDeps {
  store: EventStore;
  claims: ClaimStore;
  now: () => Date;
  newId: () => string;
  /** A test hook standing for a crash right after the append (`append-crash`). */
  afterAppend?: (event: StoredEvent) => void | Promise<void>;
}

export interface AppendRequest {
  input: EventInput;
  userId: string;
  idempotencyKey?: string;
}

export type AppendResult =
  | { kind: "accepted"; accepted: Accepted }
  | { kind: "refused"; refusal: Refusal }
  | { kind: "busy"; reason: "in_progress" | "contention"; retryAfterSeconds: number };

const maxAppendAttempts = 40;
const idempotencyTtlSeconds = 24 * 3600;
const inProgress: AppendResult = { kind: "busy", reason: "in_progress", retryAfterSeconds: 1 };

export async function appendEvent(request: AppendRequest, deps: AppendDeps): Promise<AppendResult> {
  const { input, userId } = request;
  const hash = requestHash(input);
  const idemKey = request.idempotencyKey === undefined ? undefined : `idem#${userId}#${request.idempotencyKey}`;
  let ids = {
    eventId: deps.newId(),
    channelId: channelIdOf(input, userId, deps.newId),
  };
  let previousIdem: Claim | undefined;
  if (idemKey) {
    const existing = await deps.claims.get(idemKey);
    if (existing && existing.requestHash !== hash) {
      return refused(refuse(409, "idempotency_key_reused", "This Idempotency-Key was used with another request body."));
    }
    if (existing) {
      const state = await resolveClaim(existing, deps.store, deps.now().getTime());
      if (state.kind === "accepted") return recovered(state.accepted);
      if (state.kind === "pending") return inProgress;
      previousIdem = existing;
      ids = JSON.parse(existing.prepared ?? "{}") as typeof ids;
    }
  }
  const held: Claim[] = [];
  const release = () => Promise.all(held.map((c) => deps.claims.release(c.key, c.eventId)));
  const stream = input.type === "user_renamed" ? userStream(userId) : channelStream(ids.channelId);
  let loaded = await loadTarget(input, stream, ids.channelId, deps.store);
  for (let attempt = 0; attempt < maxAppendAttempts; attempt++) {
    const decision = await decideOn(input, loaded, { userId, ids, now: deps.now().toISOString() }, deps);
    if (isRefusal(decision)) {
      await release();
      return refused(decision);
    }
    if (decision === undefined) {
      // Nothing to store (a DM opened before): the answer is the stored event's.
      const first = acceptedOf((await deps.store.read(stream, 0, 1))[0]!);
      if (idemKey && held.some((c) => c.key === idemKey)) await deps.claims.complete(idemKey, ids.eventId, first);
      return recovered(first);
    }
    if (held.length === 0) {
      const base = { eventId: ids.eventId, stream, afterSeq: loaded.version, owner: userId };
      const taken = await takeClaims(decision, base, { idemKey, hash, ids, previousIdem }, deps, held);
      if (taken) {
        await release();
        return taken;
      }
      if (previousIdem) {
        // Taken over from a run found neither done nor alive: it may have appended since we
        // looked (after that look, before we loaded). Appending again would store it twice.
        const appended = await deps.store.find(stream, previousIdem.afterSeq, ids.eventId);
        if (appended) return recovered(acceptedOf(appended));
      }
    }
    let event = { ...decision, stream, seq: loaded.version + 1 } as StoredEvent;
    if ((await deps.store.append(event)) === "conflict") {
      const caught = await loaded.catchUp();
      // The SDK retries a put whose answer was lost; its retry then "conflicts" with itself.
      const ours = caught.tail.find((e) => e.eventId === ids.eventId);
      if (!ours) {
        loaded = caught.loaded;
        await backoff(attempt);
        continue;
      }
      event = ours;
    }
    await deps.afterAppend?.(event);
    const accepted = acceptedOf(event);
    // The claims are not completed here: each names its event, which is now in the stream
    // after the claim's `afterSeq`, so whoever meets a claim finds the answer there (and
    // records it then, once). Two writes a message saved, and no new path: it is the path
    // of a request that died right after appending.
    if (loaded.kind === "channel" && isChannelEvent(event)) await recordAppended(deps.store, loaded.channel, event);
    return { kind: "accepted", accepted };
  }
  await release();
  return { kind: "busy", reason: "contention", retryAfterSeconds: 1 };
}

/** The stream an input goes to, loaded: a channel's (from its snapshot) or the caller's own. */
type Loaded = { version: number; catchUp(): Promise<{ loaded: Loaded; tail: StoredEvent[] }> } & (
  | { kind: "channel"; channel: LoadedChannel }
  | { kind: "user"; user: UserState }
);

async function loadTarget(input: EventInput, stream: string, channelId: string, store: EventStore): Promise<Loaded> {
  if (input.type === "user_renamed") {
    const user = (state: UserState): Loaded => ({
      kind: "user",
      user: state,
      version: state.version,
      async catchUp() {
        const tail = (await store.read(stream, state.version)) as UserEvent[];
        return { loaded: user(foldUser(state, tail)), tail };
      },
    });
    return user(foldUser(initialUserState, (await store.read(stream, 0)) as UserEvent[]));
  }
  const channel = (loaded: LoadedChannel): Loaded => ({
    kind: "channel",
    channel: loaded,
    version: loaded.state.version,
    async catchUp() {
      const caught = await catchUp(store, loaded, channelId);
      return { loaded: channel(caught), tail: caught.tail };
    },
  });
  return channel(await loadChannel(store, channelId));
}

async function decideOn(
  input: EventInput,
  loaded: Loaded,
  ctx: { userId: string; ids: { eventId: string; channelId: string }; now: string },
  deps: AppendDeps,
): Promise<NewEvent | Refusal | undefined> {
  const base = { userId: ctx.userId, eventId: ctx.ids.eventId, now: ctx.now };
  if (loaded.kind === "user") {
    if (input.type !== "user_renamed") throw new Error(`${input.type} does not go to a user's stream`);
    return decideRename(input, loaded.user, base);
  }
  const state = loaded.channel.state;
  if (input.type === "channel_created") return decideCreate(input, state, { ...base, channelId: ctx.ids.channelId });
  if (input.type === "dm_opened") {
    const unknownMembers = state.exists ? [] : await unregistered(input.memberIds, deps.store);
    return decideOpenDm(input, state, { ...base, channelId: ctx.ids.channelId, unknownMembers });
  }
  return decide(input as ChannelInput, state, {
    ...base,
    message: targetsMessage(input) ? await messageFacts(input.channelId, input.messageId, ctx.ids.eventId, deps) : undefined,
    root: input.type === "message_sent" && input.threadId !== undefined ? await messageFacts(input.channelId, input.threadId, ctx.ids.eventId, deps) : undefined,
    memberRegistered:
      input.type === "user_joined_channel" && input.memberId && input.memberId !== ctx.userId
        ? await deps.store.exists(userStream(input.memberId), 1)
        : undefined,
  });
}

/** The stream an input goes to names this channel: the one given, a new one, or the one a DM's member set gives. */
function channelIdOf(input: EventInput, userId: string, newId: () => string): string {
  switch (input.type) {
    case "channel_created":
      return input.channelId ?? newId();
    case "dm_opened":
      return dmChannelId([userId, ...input.memberIds]);
    case "user_renamed":
      return "";
    default:
      return input.channelId;
  }
}

/** Those of the ids that have no account (no `user_registered` at seq 1 of their stream). */
async function unregistered(userIds: readonly string[], store: EventStore): Promise<string[]> {
  const known = await Promise.all(userIds.map((id) => store.exists(userStream(id), 1)));
  return userIds.filter((_, i) => !known[i]);
}

/** What the message's claim and its event say of a message of the channel (undefined: no such message). */
/**
 * What a sent message's claim and stored event say of it, which never changes once the event
 * is found: kept per container (bounded), so the root of a busy thread, or a message a crowd
 * reacts to, is looked up in the stream once, not once per reply or reaction.
 */
interface SentFacts {
  author: string;
  position: number;
  threadId?: string;
}
const sentFactsByStore = new WeakMap<EventStore, BoundedCache<SentFacts>>();
function sentFactsOf(store: EventStore): BoundedCache<SentFacts> {
  let facts = sentFactsByStore.get(store);
  if (!facts) sentFactsByStore.set(store, (facts = new BoundedCache<SentFacts>(4 * 1024 * 1024, () => 256)));
  return facts;
}

/** What the message's claim and its event say of a message of the channel (undefined: no such message). */
async function messageFacts(channelId: string, messageId: string, eventId: string, deps: AppendDeps): Promise<MessageFacts | undefined> {
  const key = messageKey(channelId, messageId);
  const known = sentFactsOf(deps.store);
  let sent = known.get(key);
  if (!sent) {
    const claim = await deps.claims.get(key);
    if (!claim) return undefined;
    // The message's place: recorded on claims written before 2026-11-30 (before threads), else from its event in the stream.
    let place: { position: number; threadId?: string } | undefined = claim.result && claim.position !== undefined ? { position: claim.position } : undefined;
    if (!place) {
      const state = await resolveClaim(claim, deps.store, deps.now().getTime());
      const event = state.kind === "accepted" && state.event?.type === "message_sent" ? state.event : undefined;
      place = event && { position: event.position, ...(event.threadId === undefined ? {} : { threadId: event.threadId }) };
    }
    if (!place) return undefined;
    // `deleted` on the message's claim: how deletions were recorded before they took a claim of their own.
    if (claim.deleted === true) return { author: claim.owner, ...place, deleted: true };
    sent = { author: claim.owner, ...place };
    known.set(key, sent);
  }
  const deleted = (await deletionOf(channelId, messageId, eventId, deps)) !== "none";
  return { ...sent, deleted };
}

/** The inputs that act on an existing message, found by its claim. */
const targetsMessage = (input: EventInput): input is Extract<EventInput, { messageId: string }> & { type: "message_edited" | "message_deleted" | "reaction_added" | "reaction_removed" } =>
  input.type === "message_edited" || input.type === "message_deleted" || input.type === "reaction_added" || input.type === "reaction_removed";

/**
 * A deletion takes a claim of its own, so that whether a message is deleted is decided the
 * way every claim is, on every path: found in the stream after the claim's `afterSeq`
 * even when its request died before answering. A deletion still under way counts as done:
 * it holds a live lease and is about to append, so an edit now would come after it. The
 * claim of this very request (`eventId`: it lost an append race and decides again) is not one.
 */
async function deletionOf(channelId: string, messageId: string, eventId: string, deps: AppendDeps): Promise<"none" | "deleted"> {
  const claim = await deps.claims.get(deletionKey(channelId, messageId));
  if (!claim || claim.eventId === eventId) return "none";
  const state = await resolveClaim(claim, deps.store, deps.now().getTime());
  return state.kind === "abandoned" ? "none" : "deleted";
}

/** Takes the request's claims; answers instead when one is held by someone else. */
async function takeClaims(
  event: NewEvent,
  base: Omit<Claim, "key" | "leaseUntil">,
  idem: { idemKey?: string; hash: string; ids: object; previousIdem?: Claim },
  deps: AppendDeps,
  held: Claim[],
): Promise<AppendResult | undefined> {
  const now = deps.now().getTime();
  const leaseUntil = now + claimLeaseMs;
  if (idem.idemKey) {
    const claim: Claim = {
      ...base, key: idem.idemKey, leaseUntil, requestHash: idem.hash, prepared: JSON.stringify(idem.ids),
      expiresAt: Math.floor(now / 1000) + idempotencyTtlSeconds,
    };
    const ok = idem.previousIdem ? await deps.claims.takeOver(idem.previousIdem, claim) : await deps.claims.create(claim);
    if (!ok) return inProgress;
    held.push(claim);
  }
  const unique = uniqueKeyOf(event);
  if (!unique) return undefined;
  const claim: Claim = { ...base, key: unique.key, leaseUntil };
  const outcome = await takeClaim(claim, deps.store, deps.claims, now);
  if (outcome.kind === "held" && outcome.state.kind === "accepted" && unique.stillHeld && !(await unique.stillHeld(outcome.by, deps.store))) {
    // Its event no longer holds the key (the channel was renamed since): the name is free again.
    if (await deps.claims.reclaim(outcome.by, claim)) {
      held.push(claim);
      return undefined;
    }
    return refused(unique.taken); // someone else took the freed name first
  }
  if (outcome.kind === "taken") {
    held.push(claim);
    return undefined;
  }
  if (outcome.state.kind === "accepted" && unique.sameAuthorGetsFirstAnswer && outcome.by.owner === base.owner) {
    // The message was sent before: answer as the first time, and remember it under the key too.
    const first = outcome.state.accepted;
    if (idem.idemKey) await deps.claims.complete(idem.idemKey, base.eventId, first);
    held.splice(0);
    return { kind: "accepted", accepted: first };
  }
  if (outcome.state.kind === "pending" && unique.sameAuthorGetsFirstAnswer && outcome.by.owner === base.owner) return inProgress;
  return refused(unique.taken);
}

interface UniqueKey {
  key: string;
  taken: Refusal;
  sameAuthorGetsFirstAnswer: boolean;
  /** For keys an event can give up later: whether the stored event of `holder` still holds the key. */
  stillHeld?: (holder: Claim, store: EventStore) => Promise<boolean>;
}

function uniqueKeyOf(event: NewEvent): UniqueKey | undefined {
  if (event.type === "message_sent") {
    return {
      key: messageKey(event.channelId, event.messageId),
      taken: refuse(409, "message_id_taken", "This messageId is already used by another message."),
      sameAuthorGetsFirstAnswer: true,
    };
  }
  if (event.type === "message_deleted") {
    return { key: deletionKey(event.channelId, event.messageId), taken: refuse(404, "message_not_found", "No such message."), sameAuthorGetsFirstAnswer: false };
  }
  if (event.type === "channel_created" || event.type === "channel_renamed") {
    const name = event.name;
    return {
      key: `name#${name}`,
      taken: refuse(409, "name_taken", `A channel named "${name}" already exists.`),
      sameAuthorGetsFirstAnswer: false,
      stillHeld: async (holder, store) => (await loadChannel(store, holder.stream.slice(channelStream("").length))).state.name === name,
    };
  }
  return undefined;
}

export const messageKey = (channelId: string, messageId: string) => `message#${channelId}#${messageId}`;
const deletionKey = (channelId: string, messageId: string) => `deleted#${channelId}#${messageId}`;

function recovered(accepted: Accepted): AppendResult {
  return { kind: "accepted", accepted };
}

function requestHash(input: EventInput): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(input).sort(([a], [b]) => (a < b ? -1 : 1))));
  return createHash("sha256").update(canonical).digest("hex");
}

const refused = (refusal: Refusal): AppendResult => ({ kind: "refused", refusal });
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 + attempt * 3)));
