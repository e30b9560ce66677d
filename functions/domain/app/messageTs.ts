/**
 * A message's Slack `ts` (CONTRACT §13): `<unix seconds of its event>.<its seq in the
 * channel's stream, zero-padded to 6>`. Unique within its channel, ordered like the
 * messages, and it finds the message again with one read at that seq.
 */
export function tsOf(event: { seq: number; timestamp: string }): string {
  return `${Math.floor(Date.parse(event.timestamp) / 1000)}.${String(event.seq).padStart(6, "0")}`;
}

/** The seq a `ts` names, or undefined for anything that is not a ts of ours. */
export function seqOfTs(ts: string): number | undefined {
  const match = /^\d{1,12}\.(\d{6,12})$/.exec(ts);
  if (!match) return undefined;
  const seq = Number(match[1]);
  return seq >= 1 ? seq : undefined;
}
