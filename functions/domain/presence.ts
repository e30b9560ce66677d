/**
 * Presence: which channels a connection is entered in, so that pushing a channel's event
 * reads that channel's connections only. Entering is a hint for finding sockets, never a
 * permission: who may see an event is decided at send time from the channel's members.
 */

/** Whether a user is in a channel as of a version of it: a register, the later `seq` wins. */
export interface MembershipRegister {
  seq: number;
  member: boolean;
}

export interface JoinedChannel {
  channelId: string;
  /** The seq of the register that says so: the version the presence entry is made at. */
  version: number;
}

/** The channels a user is in by the latest register of each channel over every source (the user view's, notify's records). */
export function joinedChannels(...sources: readonly Record<string, MembershipRegister>[]): JoinedChannel[] {
  const latest = new Map<string, MembershipRegister>();
  for (const source of sources) {
    for (const [channelId, register] of Object.entries(source)) {
      const known = latest.get(channelId);
      if (!known || known.seq < register.seq) latest.set(channelId, register);
    }
  }
  return [...latest].filter(([, r]) => r.member).map(([channelId, r]) => ({ channelId, version: r.seq }));
}
