/** The chat store's snapshot (`chatStore.ts`): everything the chat screen shows, as one immutable value. */
import type { DirectoryEntry } from "../../../functions/domain/projections/directory";
import type { ChannelProblem } from "./channelSync";
import type { Me } from "./chatWrites";
import type * as outbox from "./outbox";
import type { Counted, Marks } from "./readMarks";
import type { Timeline } from "./timeline";

export type ConnectionState = "connecting" | "open" | "waiting" | "stopped";

export interface ChatState {
  me: Me;
  /** Our channels have been read (after a failure: `loadError` says why not yet). */
  ready: boolean;
  loadError: string | undefined;
  /** Whether the tab is shown (messages arriving meanwhile are unread). */
  visible: boolean;
  connection: ConnectionState;
  timelines: ReadonlyMap<string, Timeline>;
  problems: ReadonlyMap<string, ChannelProblem>;
  loadingEarlier: ReadonlySet<string>;
  users: ReadonlyMap<string, string>;
  /** The users who are apps' bots (views/users' `"bot": true`): their messages are marked so. */
  bots: ReadonlySet<string>;
  directory: readonly DirectoryEntry[] | undefined;
  outbox: readonly outbox.Outgoing[];
  /** Read marks (seqs), and how many messages each covers. */
  read: Marks;
  counted: ReadonlyMap<string, Counted>;
  openChannelId: string | undefined;
  /** The open channel's mark when it was opened: the "New" line goes above the first message after it. */
  unreadAfter: { channelId: string; seq: number } | undefined;
  /** A channel the creator removed us from (the screen lets go of it). */
  removedFrom: string | undefined;
  notice: string | undefined;
}
