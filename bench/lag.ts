/**
 * Lag, accepted → visible, observed at the S3 edge: a message is visible in our views
 * once a conditional PUT of its channel's head (the commit point, written after the pages)
 * carries a lastSeq at or past the message's seq; in the baseline's, once a PUT of its
 * channel document contains the message. "Accepted" is the store's timestamp on the event.
 */
import type { S3Meter, S3Put } from "./meters";
import { buckets } from "./meters";
import { baselineKeys } from "./baseline";

export class LagProbe {
  /** channelId → seq → when our head first covered it. */
  private readonly oursVisible = new Map<string, Map<number, number>>();
  private readonly oursLastSeq = new Map<string, number>();
  /** messageId → when a baseline channel document first held it. */
  private readonly baselineVisible = new Map<string, number>();
  private readonly listener = (put: S3Put) => this.onPut(put);
  private readonly baselineKeyOf = new Map<string, string>();

  constructor(
    private readonly meter: S3Meter,
    channelIds: readonly string[],
  ) {
    for (const id of channelIds) {
      this.oursVisible.set(id, new Map());
      this.baselineKeyOf.set(baselineKeys.channel(id), id);
    }
    meter.putListeners.add(this.listener);
  }

  stop(): void {
    this.meter.putListeners.delete(this.listener);
  }

  private onPut(put: S3Put): void {
    if (put.status >= 300) return;
    if (put.bucket === buckets.ours) {
      const match = /^channel\/[^/]+\/channels\/([^/]+)\/head\.json$/.exec(put.key);
      const channelId = match?.[1];
      const seen = channelId ? this.oursVisible.get(channelId) : undefined;
      if (!channelId || !seen) return;
      const lastSeq = (JSON.parse(put.body.toString("utf8")) as { lastSeq: number }).lastSeq;
      for (let seq = (this.oursLastSeq.get(channelId) ?? 0) + 1; seq <= lastSeq; seq++) if (!seen.has(seq)) seen.set(seq, put.at);
      this.oursLastSeq.set(channelId, Math.max(lastSeq, this.oursLastSeq.get(channelId) ?? 0));
    } else if (put.bucket === buckets.baseline && this.baselineKeyOf.has(put.key)) {
      const doc = JSON.parse(put.body.toString("utf8")) as { messages: { messageId: string }[] };
      for (const m of doc.messages) if (!this.baselineVisible.has(m.messageId)) this.baselineVisible.set(m.messageId, put.at);
    }
  }

  /** Lag of our views for a message, if it became visible. */
  ours(channelId: string, seq: number, acceptedAt: number): number | undefined {
    const at = this.oursVisible.get(channelId)?.get(seq);
    return at === undefined ? undefined : Math.max(0, at - acceptedAt);
  }

  baseline(messageId: string, acceptedAt: number): number | undefined {
    const at = this.baselineVisible.get(messageId);
    return at === undefined ? undefined : Math.max(0, at - acceptedAt);
  }
}
