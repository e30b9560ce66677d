/**
 * The "Mentions" screen: messages that named me, newest first, each linking to its channel,
 * named from the channel we hold or, for one we are not in, from the directory; a reply's
 * also to its thread ("Open thread").
 */
import { type ReactElement, useEffect } from "react";
import { channelPath, threadPath } from "../route";
import { followLink } from "../router";
import type { Mention } from "../state/mentions";
import { nameOf } from "../state/selectors";
import { useChat, useStore } from "./context";
import { Avatar } from "./Avatar";
import { MessageText } from "./MessageText";

export function MentionsView({ mentions }: { mentions: readonly Mention[] }): ReactElement {
  const users = useChat((s) => s.users);
  const bots = useChat((s) => s.bots);
  const timelines = useChat((s) => s.timelines);
  const directory = useChat((s) => s.directory);
  const store = useStore();
  const channelName = (channelId: string) => timelines.get(channelId)?.head?.name ?? directory?.find((c) => c.channelId === channelId)?.name;
  const unnamed = mentions.some((m) => channelName(m.channelId) === undefined);
  // A channel created since the directory was read: read it again.
  useEffect(() => {
    if (unnamed) void store.readDirectory();
  }, [unnamed, store]);
  return (
    <section className="mentions" aria-labelledby="mentions-title">
      <header className="channel-header">
        <h1 id="mentions-title">Mentions</h1>
      </header>
      {mentions.length === 0 ? (
        <p className="empty-main">Nobody has mentioned you yet. When someone writes @ and your name, it shows here.</p>
      ) : (
        <ul className="mention-list" aria-label="Mentions">
          {mentions.map((m) => (
            <li key={`${m.channelId}/${m.messageId}`} className="message">
              <Avatar userId={m.userId} name={nameOf(users, m.userId)} size={36} />
              <div>
                <p className="message-meta">
                  <strong>{nameOf(users, m.userId)}</strong>{" "}
                  {bots.has(m.userId) && (
                    <>
                      <span className="app-badge" title="Posted by an app, not a person">
                        APP
                      </span>{" "}
                    </>
                  )}
                  <a href={channelPath(m.channelId)} onClick={followLink}>
                    {channelName(m.channelId) ? `#${channelName(m.channelId)}` : "a channel"}
                  </a>{" "}
                  <time dateTime={m.sentAt}>{new Date(m.sentAt).toLocaleString()}</time>
                  {m.editedAt && <span className="edited"> (edited)</span>}
                  {m.threadId && (
                    <>
                      {" "}
                      <a href={threadPath(m.channelId, m.threadId)} onClick={followLink}>
                        Open thread
                      </a>
                    </>
                  )}
                </p>
                <div className="message-text">
                  <MessageText text={m.text} />
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
