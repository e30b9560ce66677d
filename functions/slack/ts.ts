/**
 * A message's `ts` (CONTRACT §13): `<unix seconds of sentAt>.<seq of its message_sent>`,
 * the seq zero-padded to 6 digits (more when a channel passes a million events). Unique
 * within its channel, since the seq is, and it finds the message again with one read of
 * the event at that seq (messageRef.ts). It sorts as Slack's do: by time, then by order.
 */

export interface TsParts {
  seconds: number;
  seq: number;
}

export function tsOf(sentAt: string, seq: number): string {
  return `${Math.floor(Date.parse(sentAt) / 1000)}.${String(seq).padStart(6, "0")}`;
}

/** A ts this API gave out, or undefined for anything else (never throws). */
export function parseTs(ts: string | undefined): TsParts | undefined {
  const match = /^(\d{1,12})\.(\d{6,16})$/.exec(ts ?? "");
  if (!match) return undefined;
  const seconds = Number(match[1]);
  const seq = Number(match[2]);
  return Number.isSafeInteger(seq) && seq >= 1 ? { seconds, seq } : undefined;
}

/**
 * A bound of `oldest`/`latest`, which clients also give as plain times ("0", "1700000000",
 * "1700000000.5"): the fraction counts in millionths, as in a ts. Undefined when malformed.
 */
export function parseBound(value: string): TsParts | undefined {
  const match = /^(\d{1,12})(?:\.(\d{1,15}))?$/.exec(value);
  if (!match) return undefined;
  return { seconds: Number(match[1]), seq: Number((match[2] ?? "").padEnd(6, "0")) };
}

/** Negative, zero or positive as `a` comes before, with, or after `b`. */
export function compareTs(a: TsParts, b: TsParts): number {
  return a.seconds - b.seconds || a.seq - b.seq;
}

/** The parts of a message's ts, from its page entry. */
export const partsOf = (message: { sentAt: string; seq: number }): TsParts => ({ seconds: Math.floor(Date.parse(message.sentAt) / 1000), seq: message.seq });
