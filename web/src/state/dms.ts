/** Direct messages as the screens name them (CONTRACT §11): by the other people in them, never by a channel name. */
import type { ChannelHead } from "../../../functions/domain/projections/channel";
import type { Timeline } from "./timeline";

/** A head that is a DM's (heads read before DMs existed have no kind: channels). */
export const isDm = (head: Pick<ChannelHead, "kind"> | undefined): boolean => head?.kind === "dm";

/** Everyone in our DMs: the sidebar names each DM by them. */
export function dmPeople(timelines: ReadonlyMap<string, Timeline>): string[] {
  return [...timelines.values()].flatMap((t) => (isDm(t.head) ? t.head!.members : []));
}

/** "Ben" or "Ben, Cat": the other members by name, sorted; just ourselves: our own name. */
export function dmTitle(members: readonly string[], users: ReadonlyMap<string, string>, meId: string): string {
  const name = (id: string) => users.get(id) || "Someone";
  const others = members.filter((id) => id !== meId).map(name);
  if (others.length === 0) return name(meId);
  return others.sort((a, b) => a.localeCompare(b)).join(", ");
}
