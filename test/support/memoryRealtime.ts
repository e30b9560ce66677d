/** In-memory connections, presence and memberships, with the conditional semantics of functions/adapters/dynamo{Connection,Membership}Store.ts. */
import type { JoinedChannel, MembershipRegister } from "../../functions/domain/presence";
import type { Connection, ConnectionStore, MembershipStore, Pusher } from "../../functions/ports";

const tick = () => new Promise<void>((r) => setImmediate(r));
const pick = ({ connectionId, userId }: Connection): Connection => ({ connectionId, userId });

export class MemoryConnectionStore implements ConnectionStore {
  /** By connection id: what `user#<id>` and `all` hold, with the channels it was entered in. */
  readonly open = new Map<string, Connection & { expiresAt: number; channels: Set<string> }>();
  /** By channel, then connection id: presence, with the version each entry was decided at. */
  readonly presence = new Map<string, Map<string, { connection: Connection; version: number }>>();
  readonly reads = { ofUser: 0, all: 0, inChannel: 0 };

  async add(connection: Connection, expiresAt: number) {
    await tick();
    this.open.set(connection.connectionId, { ...pick(connection), expiresAt, channels: new Set() });
  }
  async remove(connection: Connection, alsoIn: readonly string[] = []) {
    await tick();
    const known = this.open.get(connection.connectionId);
    this.open.delete(connection.connectionId);
    for (const channelId of [...(known?.channels ?? []), ...alsoIn]) this.presence.get(channelId)?.delete(connection.connectionId);
  }
  async ofUser(userId: string) {
    this.reads.ofUser++;
    await tick();
    return [...this.open.values()].filter((c) => c.userId === userId).map(pick);
  }
  async all() {
    this.reads.all++;
    await tick();
    return [...this.open.values()].map(pick);
  }
  async inChannel(channelId: string) {
    this.reads.inChannel++;
    await tick();
    return [...(this.presence.get(channelId)?.values() ?? [])].map((e) => pick(e.connection));
  }
  async enter(connection: Connection, channels: readonly JoinedChannel[]) {
    await tick();
    const known = this.open.get(connection.connectionId);
    if (!known) return;
    for (const { channelId, version } of channels) {
      known.channels.add(channelId);
      this.put(channelId, connection, version);
    }
  }
  async exit(channelId: string, connections: readonly Connection[], version: number) {
    await tick();
    for (const c of connections) {
      const entry = this.presence.get(channelId)?.get(c.connectionId);
      if (entry && entry.version <= version) this.presence.get(channelId)!.delete(c.connectionId);
    }
  }
  /** An entry as a connect that read a lagging view would leave it, or one whose leave was lost. */
  put(channelId: string, connection: Connection, version: number) {
    const entries = this.presence.get(channelId) ?? this.presence.set(channelId, new Map()).get(channelId)!;
    const entry = entries.get(connection.connectionId);
    if (!entry || entry.version <= version) entries.set(connection.connectionId, { connection: pick(connection), version });
  }
  /** The connection ids entered in the channel. */
  entered(channelId: string): string[] {
    return [...(this.presence.get(channelId)?.keys() ?? [])].sort();
  }
}

export class MemoryMembershipStore implements MembershipStore {
  readonly registers = new Map<string, Record<string, MembershipRegister>>();
  async record(userId: string, channelId: string, register: MembershipRegister) {
    await tick();
    const mine = this.registers.get(userId) ?? this.registers.set(userId, {}).get(userId)!;
    if (!mine[channelId] || mine[channelId].seq < register.seq) mine[channelId] = { ...register };
  }
  async of(userId: string) {
    await tick();
    return { ...(this.registers.get(userId) ?? {}) };
  }
}

/** A pusher that records what it sent; `gone` connections answer 410. */
export class RecordingPusher implements Pusher {
  readonly pushed: { connectionId: string; data: string }[] = [];
  constructor(readonly gone = new Set<string>()) {}
  async push(connectionId: string, data: string) {
    await tick();
    if (this.gone.has(connectionId)) return "gone" as const;
    this.pushed.push({ connectionId, data });
    return "sent" as const;
  }
  /** Connection ids that got the event of this stream and seq, once or more (a join's run may push again what reached the joiner). */
  receivers(event: { stream: string; seq: number }): string[] {
    const ids = this.pushed
      .filter((p) => {
        const sent = (JSON.parse(p.data) as { event: { stream: string; seq: number } }).event;
        return sent.stream === event.stream && sent.seq === event.seq;
      })
      .map((p) => p.connectionId);
    return [...new Set(ids)].sort();
  }
}
