/**
 * The search projection's runner: catches a channel's search index up with its stream
 * (domain/projections/search.ts). Segments are written before the head that names them;
 * the head is the commit point and the checkpoint. It is written only when queries would
 * read something new from it, or once `checkpointEvery` events or `foldBudget` characters
 * went by: a top-level message costs a read of the stream, not a write (queries read it
 * from the channel's head).
 * A live run leaves its write to a later message's run when one is coming (coalesce.ts).
 */
import { createHash } from "node:crypto";
import { type ChannelEvent, channelStream } from "../domain/events";
import { viewKeys } from "../domain/projections/keys";
import { compact, emptySearchHead, foldSearch, merge, mergeable, overlayBytes, overlayLimitBytes, type SearchHead, type Segment } from "../domain/projections/search";
import type { EventStore, ViewStore } from "../ports";
import { LiveRun } from "./coalesce";
import { withRetries } from "./documents";
import { checkpointEvery } from "./projectMentions";

const batch = 1000;
/**
 * Characters of message text one run folds before it commits (or, live, leaves uncommitted
 * for the next delivery to fold again): splitting 40,000 characters into words takes about
 * 0.3 s, so counting events alone let a run of big messages outlast the projection's timeout
 * and never commit, and made each delivery split up to 99 big messages again.
 */
export const foldBudget = 100_000;

interface SearchDeps {
  store: EventStore;
  views: ViewStore;
  onCommit?: (events: number) => void;
  now?: () => Date;
  wait?: (ms: number) => Promise<void>;
}

/** With `untilSeq` it is done once the head covers that event, whoever folded it. */
export function catchUpSearch(channelId: string, deps: SearchDeps, untilSeq?: number): Promise<void> {
  const stream = channelStream(channelId);
  const headKey = viewKeys.searchHead(channelId);
  const run = new LiveRun("search", stream, untilSeq, deps.store, deps.now, deps.wait);
  return withRetries(deps.views, async (docs) => {
    const stored = await docs.load<SearchHead>(headKey);
    let head = stored ?? emptySearchHead(channelId);
    if (untilSeq !== undefined && head.lastSeq >= untilSeq) return "done";
    const events = (await deps.store.read(stream, head.lastSeq, batch)) as ChannelEvent[];
    if (events.length === 0) return "done";
    let changed = false;
    let folded = 0;
    let chars = 0;
    const made = new Map<string, Segment>();
    for (const event of events) {
      const step = foldSearch(head, event);
      head = step.head;
      changed ||= step.changed;
      for (const { ref, segment } of step.made) made.set(ref.key, segment);
      folded++;
      if (event.type === "message_sent" || event.type === "message_edited") chars += event.text.length;
      if (chars >= foldBudget) break;
    }
    for (let group = mergeable(head); group; group = mergeable(head)) {
      const segments = await Promise.all(group.map(async (ref) => made.get(ref.key) ?? (await segmentAt(deps.views, ref.key))));
      const merged = merge(head, group, segments);
      head = merged.head;
      made.set(merged.ref.key, merged.segment);
    }
    if (overlayBytes(head.overlay) > overlayLimitBytes) {
      const stored = await Promise.all(head.segments.map(async (ref) => ({ ref, segment: made.get(ref.key) ?? (await segmentAt(deps.views, ref.key)) })));
      const compacted = compact(head, stored);
      head = compacted.head;
      for (const { ref, segment } of compacted.made) made.set(ref.key, segment);
    }
    const full = events.length === batch || folded < events.length;
    if (!changed && !full && events.length < checkpointEvery && chars < foldBudget) return "done";
    // A later message's run folds this one's too from the same checkpoint: under a burst of replies, one writes for all.
    const decision = await run.decide(events);
    if (decision !== "write") return decision === "defer" ? "done" : "again";
    const named = new Set(head.segments.map((s) => s.key));
    const renamed = new Map<string, string>();
    for (const [key, segment] of made) {
      if (!named.has(key)) continue; // made and merged in this run: nobody will read it
      const body = JSON.stringify(segment);
      const final = key.replace(/\.json$/, `.${createHash("sha256").update(body).digest("base64url").slice(0, 16)}.json`);
      renamed.set(key, final);
      await docs.load(final); // a crashed run may have written it: its ETag guards the put
      docs.stage(final, segment);
    }
    docs.stage(headKey, { ...head, segments: head.segments.map((s) => ({ ...s, key: renamed.get(s.key) ?? s.key })) });
    if ((await docs.commit()) === "conflict") return "conflict";
    deps.onCommit?.(folded);
    return full ? "more" : "done";
  });
}

async function segmentAt(views: ViewStore, key: string): Promise<Segment> {
  const found = await views.get<Segment>(key);
  if (!found) throw new Error(`The search segment ${key} is named by its head and is not there.`);
  return found.doc;
}
