/**
 * Claims make a multi-write request safe without transactions. A request first takes its
 * unique keys (idempotency key, message id, channel name) as claims naming the event it
 * will append, then appends. It writes nothing more to its claims: the claim names the
 * event, and the stream holds it. A later request that meets the claim finds out what
 * happened, by reading only:
 * - the claim has an answer (claims written before 2026-11-30): the event is stored;
 * - the event is in the stream after `afterSeq`: it is stored; answer with it;
 * - neither, and the lease is still running: the first request may still be at work;
 * - neither, and the lease ran out: the first request died before appending; take over
 *   (and look in the stream once more before appending: see appendEvent.ts).
 * The lease outlives the function's timeout, so a request is never taken over alive.
 */
import type { StoredEvent } from "../domain/events";
import type { Accepted, Claim, ClaimStore, EventStore } from "../ports";

export const claimLeaseMs = 15_000;

export type ClaimState =
  | { kind: "accepted"; accepted: Accepted; event?: StoredEvent }
  | { kind: "pending" }
  | { kind: "abandoned" };

export const acceptedOf = (event: StoredEvent): Accepted => ({
  eventId: event.eventId,
  stream: event.stream,
  seq: event.seq,
  timestamp: event.timestamp,
});

/**
 * What became of a claim's request, read from the stream and never written: a refused
 * request that only looked at a claim stores nothing. (Claims written before 2026-11-30
 * carry their answer; newer ones name their event, found after their `afterSeq`.)
 */
export async function resolveClaim(claim: Claim, store: EventStore, now: number): Promise<ClaimState> {
  if (claim.result) return { kind: "accepted", accepted: claim.result };
  const event = await store.find(claim.stream, claim.afterSeq, claim.eventId);
  if (event) return { kind: "accepted", accepted: acceptedOf(event), event };
  return claim.leaseUntil > now ? { kind: "pending" } : { kind: "abandoned" };
}

/** Takes `claim.key` for `claim.eventId`, or says who holds it. */
export async function takeClaim(
  claim: Claim,
  store: EventStore,
  claims: ClaimStore,
  now: number,
): Promise<{ kind: "taken" } | { kind: "held"; by: Claim; state: ClaimState }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await claims.create(claim)) return { kind: "taken" };
    const holder = await claims.get(claim.key);
    if (!holder) continue; // released in between: try again
    if (holder.eventId === claim.eventId && !holder.result) {
      // Ours, from an earlier attempt of this very request: renew the lease before appending,
      // or another request could find it abandoned, take it over and append as well.
      if (await claims.takeOver(holder, claim)) return { kind: "taken" };
      continue;
    }
    const state = await resolveClaim(holder, store, now);
    if (state.kind !== "abandoned") return { kind: "held", by: holder, state };
    if (await claims.takeOver(holder, claim)) return { kind: "taken" };
  }
  return { kind: "held", by: claim, state: { kind: "pending" } };
}
