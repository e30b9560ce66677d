/** The contract's limits on what a client sends (CONTRACT §3), apart from the schemas so the web can read them without zod. */
export const limits = {
  bodyBytes: 64 * 1024,
  nameLength: 80,
  topicLength: 250,
  textCodePoints: 40_000,
  idempotencyKeyLength: 128,
  /** The people a DM names besides the one opening it (CONTRACT §11). */
  dmOthers: 8,
  emojiLength: 64,
} as const;
