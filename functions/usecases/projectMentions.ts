/**
 * The mentions projection's runner. Names come from `user_registered`; messages are caught
 * up per channel stream from a checkpoint document, written last, so edits and deletions
 * are never applied before the message they change, and re-running is harmless.
 */
import { type ChannelEvent, channelStream, type UserRegistered } from "../domain/events";
import { viewKeys } from "../domain/projections/keys";
import { addMention, addName, changeMention, emptyMentions, emptyNames, type MentionsView, type MessageMentions, mayMention, mentionedIn, type NameIndex } from "../domain/projections/mentions";
import type { EventStore, ViewStore } from "../ports";
import { type Documents, withRetries } from "./documents";

const batch = 1000;
/** Events folded without a change before the checkpoint is written anyway: bounds each run's re-reading. */
export const checkpointEvery = 100;

interface MentionsDeps {
  store: EventStore;
  views: ViewStore;
  onCommit?: (events: number) => void;
}

export function addRegisteredName(event: UserRegistered, views: ViewStore): Promise<void> {
  return addRegisteredNames([event], views);
}

/** Many registrations in one write (a rebuild's). */
export function addRegisteredNames(events: readonly UserRegistered[], views: ViewStore): Promise<void> {
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
 * read, not a write. Re-reading those events later is harmless, since mentions resolve
 * against names registered before the message, whenever that is evaluated (and a name
 * registered late is then found). With `untilSeq` it is done once the checkpoint covers
 * that event. It never leaves its work to a later event's run (coalesce.ts): with a lazy
 * checkpoint that run may already have been, found nothing (the name not yet known) and
 * written nothing; and since a run without a mention writes nothing, there is little to save.
 */
export function catchUpMentions(channelId: string, deps: MentionsDeps, untilSeq?: number): Promise<void> {
  const stream = channelStream(channelId);
  return withRetries(deps.views, async (docs) => {
    const checkpoint = (await docs.load<{ lastSeq: number }>(viewKeys.checkpoint(stream)))?.lastSeq ?? 0;
    if (untilSeq !== undefined && checkpoint >= untilSeq) return "done";
    const events = (await deps.store.read(stream, checkpoint, batch)) as ChannelEvent[];
    const last = events.at(-1);
    if (!last) return "done";
    const work = new Mentions(docs);
    for (const event of events) await work.apply(event);
    if (work.changed() || events.length >= checkpointEvery) {
      work.stageAll();
      docs.stage(viewKeys.checkpoint(stream), { lastSeq: last.seq });
      if ((await docs.commit()) === "conflict") return "conflict";
    }
    deps.onCommit?.(events.length);
    return events.length === batch ? "more" : "done";
  });
}

/** The documents one catch-up touches, each loaded once. */
class Mentions {
  private readonly views = new Map<string, MentionsView>();
  private readonly targets = new Map<string, MessageMentions>();
  private names?: NameIndex;

  constructor(private readonly docs: Documents) {}

  changed(): boolean {
    return this.targets.size > 0 || this.views.size > 0;
  }

  async apply(event: ChannelEvent): Promise<void> {
    if (event.type === "message_sent") {
      if (!mayMention(event)) return;
      this.names ??= (await this.docs.load<NameIndex>(viewKeys.names())) ?? emptyNames;
      const mentioned = mentionedIn(event, this.names);
      if (mentioned.length === 0) return;
      const key = viewKeys.messageMentions(event.channelId, event.messageId);
      if (!this.targets.has(key)) await this.docs.load(key); // a re-run finds it written: its ETag guards the put
      this.targets.set(key, { channelId: event.channelId, messageId: event.messageId, mentioned });
      for (const userId of mentioned) this.views.set(userId, addMention(await this.view(userId), event));
    }
    if (event.type === "message_edited" || event.type === "message_deleted") {
      const key = viewKeys.messageMentions(event.channelId, event.messageId);
      const target = this.targets.get(key) ?? (await this.docs.load<MessageMentions>(key));
      for (const userId of target?.mentioned ?? []) this.views.set(userId, changeMention(await this.view(userId), event));
    }
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
