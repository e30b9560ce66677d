/** The contract's limits on what a client sends (CONTRACT §3), apart from the schemas so the web can read them without zod. */
export const limits = {
  bodyBytes: 64 * 1024,
  nameLength: 80,
  topicLength: 250,
  textCodePoints: 40_000,
  idempotencyKeyLength: 128,
  emojiLength: 64,
  /**
   * Distinct emoji on one message: past it, a new one changes nothing (202, as for a
   * reaction one already has), so no member can grow a page, or the head that holds the
   * open one, without bound.
   */
  emojiPerMessage: 50,
  /** The people a DM names besides the one opening it (CONTRACT §11). */
  dmOthers: 8,
} as const;
