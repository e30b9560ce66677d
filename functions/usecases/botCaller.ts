/**
 * Who a bot's token stands for: the token's SHA-256 looked up with one read by key (no
 * scan, no Cognito call). Decisions, yes and no, are kept per container for `ttlMs` (5 s),
 * so a busy bot costs a read every few seconds rather than one per call, and a revoked
 * token stops working within those seconds wherever it was last seen.
 */
import type { BotToken, BotTokenStore } from "../ports";
import { botTokenPrefix, secretHash } from "./secretHash";

export const botDecisionTtlMs = 5_000;

interface Kept {
  found: BotToken | undefined;
  until: number;
}

export class BotDecisions {
  private readonly kept = new Map<string, Kept>();

  constructor(
    readonly ttlMs = botDecisionTtlMs,
    private readonly maxEntries = 10_000,
    public clock: () => number = Date.now,
  ) {}

  /** `has` tells a kept "no" from nothing kept. */
  get(hash: string): { has: boolean; found?: BotToken } {
    const kept = this.kept.get(hash);
    if (!kept || kept.until <= this.clock()) {
      this.kept.delete(hash);
      return { has: false };
    }
    return { has: true, found: kept.found };
  }

  set(hash: string, found: BotToken | undefined): void {
    this.kept.delete(hash);
    this.kept.set(hash, { found, until: this.clock() + this.ttlMs });
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= this.maxEntries) break;
      this.kept.delete(oldest);
    }
  }

  clear(): void {
    this.kept.clear();
  }
}

export const isBotToken = (token: string) => token.startsWith(botTokenPrefix);

/** The bot the token stands for, or undefined when it stands for none (never was, or revoked). */
export async function botCaller(token: string, tokens: Pick<BotTokenStore, "find">, decisions: BotDecisions): Promise<BotToken | undefined> {
  // Only plausible tokens cost a read: `xoxb-` and 43 base64url characters (32 bytes).
  if (!/^xoxb-[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const hash = secretHash(token);
  const kept = decisions.get(hash);
  if (kept.has) return kept.found;
  const found = await tokens.find(hash);
  decisions.set(hash, found);
  return found;
}
