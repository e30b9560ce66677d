/**
 * `$connect`: remembers the connection under its user and enters it in every channel the
 * user is in, so that notify finds it by channel.
 *
 * The channels come from the user's view (`views/users/<id>`, which covers every membership
 * but lags the store) and from the memberships notify has recorded (which cover a join that
 * the view has not taken in yet). A join racing this connect cannot be missed by both
 * sides: notify records the join before it looks for the joiner's connections, and this
 * reads the records only after the connection is stored; each read sees every write before
 * it, so either notify finds this connection and enters it, or this finds the join. A
 * channel entered by mistake (the view lagging behind a leave) costs a read, never a push:
 * notify filters by the channel's members at send time.
 */
import type { UserView } from "../domain/projections/user";
import { viewKeys } from "../domain/projections/keys";
import { joinedChannels, type MembershipRegister } from "../domain/presence";
import type { Connection, ConnectionStore, MembershipStore, ViewStore } from "../ports";
import { currentViews } from "./generations";

export interface OpenConnectionDeps {
  connections: ConnectionStore;
  memberships: MembershipStore;
  views: ViewStore;
}

export async function openConnection(connection: Connection, expiresAt: number, deps: OpenConnectionDeps): Promise<void> {
  await deps.connections.add(connection, expiresAt);
  const [recorded, viewed] = await Promise.all([deps.memberships.of(connection.userId), viewedMemberships(connection.userId, deps.views)]);
  await deps.connections.enter(connection, joinedChannels(viewed, recorded));
}

/** The user view's membership registers (none before the user's first event). */
async function viewedMemberships(userId: string, views: ViewStore): Promise<Record<string, MembershipRegister>> {
  const view = (await (await currentViews(views, "user")).get<UserView>(viewKeys.user(userId)))?.doc;
  return view?.memberships ?? {};
}
