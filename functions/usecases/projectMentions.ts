/**
 * The mentions projection's runner. Names come from `user_registered`; messages are caught
 * up per channel stream from a checkpoint document, written last, so edits and deletions
 * are never applied before the message they change, and re-running is harmless. The
 * checkpoint carries the channel's members and privacy at its seq (folded from the same
 * stream), so a message is only ever recorded for those who were in the channel then.
 */
import { type ChannelEvent, channelStream, type UserRegistered, type UserRenamed } from "../domain/events";
import { viewKeys } from "../domain/projections/keys";
import {
  addMention, addName, type ChannelAudience, changeMention, emptyMentions, emptyNames, evolveAudience, type MentionsView, type MessageMentions,
  mayMention, mayNameUnknownMember, mentionedIn, type NameIndex, unknownAudience,
} from "../domain/projections/mentions";
import type { EventStore, ViewStore } from "../ports";
import { type Documents, withRetries } from "./documents";

const batch = 1000;
/** Events folded without a change before the checkpoint is written anyway: bounds each run's re-reading. */
export const checkpointEvery = 100;
/**
 * How long after a message the runner waits for the name index to learn a member it does
 * not know yet (see `mayNameUnknownMember`); past that, the member is taken as nameless
 * (an account registered without a name).
 */
export const namesGraceMs = 5 * 60_000;

interface MentionsDeps {
  store: EventStore;
  views: ViewStore;
  onCommit?: (events: number) => void;
  now?: () => Date;
}

/** The name index does not know a member a message may name, yet: the delivery is retried. */
export class NamesNotYetKnown extends Error {
  constructor(readonly stream: string, readonly seq: number) {
    super(`The name index does not know every member of ${stream} at seq ${seq} yet; retry once it does.`);
  }
}

/** Many registrations and renames in one write (a rebuild's). */
export function addRegisteredNames(events: readonly (UserRegistered | UserRenamed)[], views: ViewStore): Promise<void> {
  return withRetries(views, async (docs) => {
    const index = (await docs.load<NameIndex>(viewKeys.names())) ?? emptyNames;
    const next = events.reduce(addName, index);
    if (next === index) return "done";
    docs.stage(viewKeys.names(), next);
    return (await docs.commit()) === "ok" ? "done" : "conflict";
  });
}

/**
 * Most messages mention nobody, so the checkpoint is written only with a change, or once
 * `checkpointEvery` events have gone by without one: a message without mentions costs a
 * read, not a write. Re-reading those events later is harmless: the checkpoint's members
 * are folded again from the same events. With `untilSeq` it is done once the checkpoint
 * covers that event. It never leaves its work to a later event's run (coalesce.ts): with
 * a lazy checkpoint that run may already have been, and written nothing. A message that
 * may name a member the name index does not know yet stops the run there (what came
 * before is committed) with `NamesNotYetKnown`, so that the delivery is retried.
 */
export function catchUpMentions(channelId: string, deps: MentionsDeps, untilSeq?: number): Promise<void> {
  const stream = channelStream(channelId);
  return withRetries(deps.views, async (docs) => {
    const stored = await docs.load<Partial<ChannelAudience> & { lastSeq: number }>(viewKeys.checkpoint(stream));
    const checkpoint = stored?.lastSeq ?? 0;
    if (untilSeq !== undefined && checkpoint >= untilSeq) return "done";
    const events = (await deps.store.read(stream, checkpoint, batch)) as ChannelEvent[];
    if (events.length === 0) return "done";
    const work = new Mentions(docs, await audienceOf(stored, stream, deps.store), deps.now?.() ?? new Date());
    for (const event of events) if ((await work.apply(event)) === "wait") break;
    if (work.changed() || work.applied >= checkpointEvery) {
      work.stageAll();
      docs.stage(viewKeys.checkpoint(stream), work.audience);
      if ((await docs.commit()) === "conflict") return "conflict";
    }
    deps.onCommit?.(work.applied);
    if (work.waiting) throw new NamesNotYetKnown(stream, work.waiting);
    return events.length === batch ? "more" : "done";
  });
}

/** The checkpoint's audience; a checkpoint written before it carried one is folded again from its events. */
async function audienceOf(stored: (Partial<ChannelAudience> & { lastSeq: number }) | undefined, stream: string, store: EventStore): Promise<ChannelAudience> {
  if (!stored) return unknownAudience;
  if (stored.members && stored.private !== undefined) return { lastSeq: stored.lastSeq, private: stored.private, members: stored.members };
  let audience = unknownAudience;
  while (audience.lastSeq < stored.lastSeq) {
    const events = ((await store.read(stream, audience.lastSeq, batch)) as ChannelEvent[]).filter((e) => e.seq <= stored.lastSeq);
    if (events.length === 0) break;
    audience = events.reduce(evolveAudience, audience);
  }
  return { ...audience, lastSeq: stored.lastSeq };
}

/** The documents one catch-up touches, each loaded once. */
class Mentions {
  private readonly views = new Map<string, MentionsView>();
  private readonly targets = new Map<string, MessageMentions>();
  private names?: NameIndex;
  /** Events folded so far. */
  applied = 0;
  /** The seq of a message that waits for the name index, if one does. */
  waiting?: number;

  constructor(
    private readonly docs: Documents,
    public audience: ChannelAudience,
    private readonly now: Date,
  ) {}

  changed(): boolean {
    return this.targets.size > 0 || this.views.size > 0;
  }

  async apply(event: ChannelEvent): Promise<"applied" | "wait"> {
    if (event.type === "message_sent" && mayMention(event)) {
      this.names ??= (await this.docs.load<NameIndex>(viewKeys.names())) ?? emptyNames;
      const { members } = this.audience;
      if (mayNameUnknownMember(event, this.names, members) && this.now.getTime() - Date.parse(event.timestamp) < namesGraceMs) {
        this.waiting = event.seq;
        return "wait";
      }
      await this.record(event, mentionedIn(event, this.names, members));
    }
    if (event.type === "message_edited" || event.type === "message_deleted") {
      const key = viewKeys.messageMentions(event.channelId, event.messageId);
      const target = this.targets.get(key) ?? (await this.docs.load<MessageMentions>(key));
      // A new text reaches only those still in the channel; a deletion takes the mention from everyone's view.
      const reached = event.type === "message_deleted" ? target?.mentioned : target?.mentioned.filter((u) => this.audience.members.includes(u));
      for (const userId of reached ?? []) this.views.set(userId, changeMention(await this.view(userId), event));
    }
    this.audience = evolveAudience(this.audience, event);
    this.applied++;
    return "applied";
  }

  private async record(event: Extract<ChannelEvent, { type: "message_sent" }>, mentioned: string[]): Promise<void> {
    if (mentioned.length === 0) return;
    const key = viewKeys.messageMentions(event.channelId, event.messageId);
    if (!this.targets.has(key)) await this.docs.load(key); // a re-run finds it written: its ETag guards the put
    this.targets.set(key, { channelId: event.channelId, messageId: event.messageId, mentioned });
    for (const userId of mentioned) this.views.set(userId, addMention(await this.view(userId), event, this.audience.private));
  }

  stageAll(): void {
    for (const [key, target] of this.targets) this.docs.stage(key, target);
    for (const [userId, view] of this.views) this.docs.stage(viewKeys.mentions(userId), view);
  }

  private async view(userId: string): Promise<MentionsView> {
    const known = this.views.get(userId);
    if (known) return known;
    const loaded = (await this.docs.load<MentionsView>(viewKeys.mentions(userId))) ?? emptyMentions(userId);
    this.views.set(userId, loaded);
    return loaded;
  }
}
