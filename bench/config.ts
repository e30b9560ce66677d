/** How big each scenario is, per run mode. */
import { pageSize } from "../functions/domain/projections/channel";

/** One full page of messages per depth: our page writes grow as a page fills, so a whole page cycle is their fair average. */
const pageCycle = pageSize;
export interface Config {
  mode: "quick" | "full" | "tiny";
  /** `ratePerSecond`: what the posters offer together after their opening burst. */
  hot: { posters: number; messagesEach: number; ratePerSecond: number };
  /** History depths (messages already in the channel) at which the next messages are measured. */
  history: { depths: number[]; messagesPerDepth: number };
  throughput: { users: number; channels: number; seconds: number };
  /**
   * A channel of `members` and one of `smallMembers`, the same `online` people in both with
   * sockets open (the rest seeded, never signed in), `messages` posted into each.
   */
  bigChannel: { members: number; smallMembers: number; online: number; messages: number };
  /** `people` react to one message, each at a random moment within `seconds`. */
  reactions: { people: number; seconds: number };
  /** `posters` reply `replies` times in all to `threads` top-level messages, offering `ratePerSecond` together. */
  threads: { posters: number; threads: number; replies: number; ratePerSecond: number };
  /**
   * Search (issue 15): `messages` seeded over `channels`, of which the searcher is a member
   * of `memberOf`; `live`: posters sending into one of them at a hot channel's rate; each
   * query of the mix asked `rounds` times.
   */
  search: { channels: number; memberOf: number; messages: number; live: { posters: number; messages: number; ratePerSecond: number }; rounds: number };
}

export const configs: Record<Config["mode"], Config> = {
  quick: {
    mode: "quick",
    hot: { posters: 100, messagesEach: 2, ratePerSecond: 12 },
    history: { depths: [100, 1_000, 3_000, 10_000], messagesPerDepth: pageCycle },
    throughput: { users: 20, channels: 5, seconds: 10 },
    bigChannel: { members: 20_000, smallMembers: 10, online: 10, messages: 200 },
    reactions: { people: 50, seconds: 5 },
    threads: { posters: 50, threads: 5, replies: 200, ratePerSecond: 12 },
    search: { channels: 50, memberOf: 20, messages: 10_000, live: { posters: 50, messages: 200, ratePerSecond: 12 }, rounds: 5 },
  },
  full: {
    mode: "full",
    hot: { posters: 100, messagesEach: 4, ratePerSecond: 12 },
    history: { depths: [100, 1_000, 3_000, 10_000, 30_000, 100_000], messagesPerDepth: pageCycle },
    throughput: { users: 20, channels: 5, seconds: 30 },
    bigChannel: { members: 20_000, smallMembers: 10, online: 10, messages: 200 },
    reactions: { people: 50, seconds: 5 },
    threads: { posters: 100, threads: 10, replies: 400, ratePerSecond: 12 },
    search: { channels: 50, memberOf: 20, messages: 100_000, live: { posters: 100, messages: 400, ratePerSecond: 12 }, rounds: 10 },
  },
  /** For the test: seconds, not minutes. */
  tiny: {
    mode: "tiny",
    hot: { posters: 6, messagesEach: 2, ratePerSecond: 8 },
    history: { depths: [10, 100], messagesPerDepth: 3 },
    throughput: { users: 3, channels: 2, seconds: 2 },
    bigChannel: { members: 300, smallMembers: 10, online: 3, messages: 10 },
    reactions: { people: 5, seconds: 1 },
    threads: { posters: 3, threads: 2, replies: 8, ratePerSecond: 8 },
    search: { channels: 6, memberOf: 3, messages: 2_000, live: { posters: 5, messages: 20, ratePerSecond: 8 }, rounds: 2 },
  },
};
