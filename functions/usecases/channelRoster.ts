/**
 * A channel run's hold on the members (domain/projections/storedHead.ts): their document is
 * read only when the run's events change them, so a message costs no read or write of a
 * big channel's member list.
 */
import type { ChannelEvent } from "../domain/events";
import { changesMembers } from "../domain/projections/channel";
import { viewKeys } from "../domain/projections/keys";
import { applyToRoster, type MembersDoc, membersInline, type Placement, placementIn, placementOf, type Roster, rosterOf, type StoredHead } from "../domain/projections/storedHead";
import type { Documents } from "./documents";

export class RunRoster {
  private roster?: Roster;

  constructor(
    private readonly docs: Documents,
    private readonly channelId: string,
    private readonly stored: StoredHead | undefined,
  ) {
    // A head stored before members could be apart, holding too many: this run moves them out.
    if (stored?.members && stored.members.length > membersInline) this.roster = rosterOf(stored, undefined);
  }

  async apply(event: ChannelEvent): Promise<void> {
    if (!changesMembers(event)) return;
    this.roster = applyToRoster(this.roster ?? (await this.load()), event);
  }

  /** What the head holds of the members; their document is staged first when they are apart and changed. */
  async stage(): Promise<Placement> {
    if (!this.roster) {
      if (!this.stored) throw new Error(`Channel ${this.channelId} has a head but no members: its stream does not start with channel_created.`);
      return placementIn(this.stored);
    }
    const placement = placementOf(this.roster);
    if ("membersSeq" in placement) {
      const key = viewKeys.members(this.channelId);
      if (!this.docs.has(key)) await this.docs.load(key); // its put is conditioned on what is there
      const doc: MembersDoc = { channelId: this.channelId, seq: this.roster.seq, members: this.roster.members };
      this.docs.stage(key, doc);
    }
    return placement;
  }

  private async load(): Promise<Roster> {
    if (!this.stored || this.stored.members) return rosterOf(this.stored, undefined);
    const doc = await this.docs.load<MembersDoc>(viewKeys.members(this.channelId));
    if (!doc) throw new Error(`The head of channel ${this.channelId} says its members are apart, and their document is not there.`);
    return rosterOf(this.stored, doc);
  }
}
