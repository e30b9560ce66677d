/**
 * The 40,000-code-point limit on a message's text (CONTRACT §3, counted after trimming, as
 * the server counts it), and what the message box says as one nears it.
 */
export const maxMessageLength = 40_000;
/** The counter shows from this many code points on. */
export const counterFrom = 39_000;

export const messageLength = (text: string) => [...text.trim()].length;

/** What the message box says about the length: nothing well under the limit. */
export function lengthNote(text: string): { left: number; note: string } | undefined {
  const length = messageLength(text);
  if (length < counterFrom) return undefined;
  const left = maxMessageLength - length;
  const n = Math.abs(left).toLocaleString("en-US");
  return { left, note: left >= 0 ? `${n} ${left === 1 ? "character" : "characters"} left` : `${n} ${left === -1 ? "character" : "characters"} over the limit` };
}

/** Why the text cannot be sent as it is (too long), or undefined. */
export function tooLong(text: string): string | undefined {
  const over = messageLength(text) - maxMessageLength;
  return over > 0 ? `This message is too long: messages can be at most ${maxMessageLength.toLocaleString("en-US")} characters. Shorten it by ${over.toLocaleString("en-US")} to send it.` : undefined;
}
