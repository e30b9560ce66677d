/** The URLs of the app's screens: a message to open a channel or thread at (`?m=`), and a search's results (`/search?q=`). */
import { expect } from "chai";
import { messagePath, parseRoute, searchPath } from "../../web/src/route";

const channel = "0b7ad2a4-6f0e-4c3b-9f5e-2d7c1a3b4c5d";
const root = "1c8be3b5-7a1f-4d4c-8a6f-3e8d2b4c5d6e";
const reply = "2d9cf4c6-8b2a-4e5d-9b7a-4f9e3c5d6e7f";

describe("web routes", () => {
  it("opens a channel, or a thread, at the message a URL names, and the same URL back", () => {
    expect(parseRoute(new URL(messagePath(channel, root), "http://x").pathname, "?m=" + root)).to.deep.equal({ kind: "channel", channelId: channel, messageId: root });
    const url = new URL(messagePath(channel, reply, root), "http://x");
    expect(parseRoute(url.pathname, url.search)).to.deep.equal({ kind: "channel", channelId: channel, threadId: root, messageId: reply });
    expect(parseRoute(`/c/${channel}`, "?m=not-an-id")).to.deep.equal({ kind: "channel", channelId: channel });
  });

  it("keeps a search's query, spaces, quotes and all", () => {
    const query = 'deploy "green build" from:@ann in:#ops';
    const url = new URL(searchPath(query), "http://x");
    expect(parseRoute(url.pathname, url.search)).to.deep.equal({ kind: "search", query });
  });
});
