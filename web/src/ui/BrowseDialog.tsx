/**
 * "Browse channels": every public channel (and the private ones we are in) with its topic
 * and member count; each is a link named by the channel's name that opens it, and those
 * we are not in can be joined from here. A modal, so its links are the only ones found.
 */
import { type ReactElement, useEffect, useMemo, useState } from "react";
import { isApiError } from "../api/apiError";
import { channelPath } from "../route";
import { followLink, navigate } from "../router";
import { useChat, useStore } from "./context";
import { plural } from "./format";
import { Icon } from "./icons";
import { Modal } from "./Modal";

export function BrowseDialog({ onClose }: { onClose(): void }): ReactElement {
  const store = useStore();
  const directory = useChat((s) => s.directory);
  const timelines = useChat((s) => s.timelines);
  const me = useChat((s) => s.me);
  const [query, setQuery] = useState("");
  const [joining, setJoining] = useState<string>();

  useEffect(() => void store.readDirectory(), [store]);

  const entries = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (directory ?? [])
      .filter((c) => c.kind !== "dm")
      .filter((c) => !q || c.name.includes(q) || c.topic.toLowerCase().includes(q))
      .map((c) => {
        const head = timelines.get(c.channelId)?.head;
        return { ...c, memberCount: head?.members.length ?? c.memberCount, joined: head?.members.includes(me.userId) ?? false };
      });
  }, [directory, timelines, me.userId, query]);

  async function join(channelId: string) {
    setJoining(channelId);
    try {
      await store.writes.join(channelId);
      navigate(channelPath(channelId));
      onClose();
    } catch (error) {
      store.showNotice(`Could not join the channel: ${isApiError(error) ? error.message : "try again."}`);
    } finally {
      setJoining(undefined);
    }
  }

  return (
    <Modal title="Browse channels" onClose={onClose} className="browse">
      <div className="browse-header">
        <div className="search">
          <Icon name="search" size={16} />
          <input type="search" aria-label="Search channels" placeholder="Search by name or topic" value={query} onChange={(e) => setQuery(e.target.value)} data-autofocus />
        </div>
        <p className="browse-count" role="status">
          {directory ? plural(entries.length, "channel") : "Loading channels…"}
        </p>
      </div>
      <ul className="browse-list">
        {entries.map((c) => (
          <li key={c.channelId} className="browse-item">
            <div className="browse-main">
              <a href={channelPath(c.channelId)} className="browse-link" onClick={(event) => followLink(event, onClose)}>
                <span aria-hidden="true" className="browse-glyph">
                  {c.private ? <Icon name="lock" size={14} /> : "#"}
                </span>
                {c.name}
              </a>
              <p className="browse-meta">
                {c.joined && <span className="joined">Joined · </span>}
                {plural(c.memberCount, "member")}
                {c.topic && <span> · {c.topic}</span>}
              </p>
            </div>
            {!c.joined && !c.private && (
              <button type="button" className="secondary small" aria-label={`Join ${c.name}`} disabled={joining === c.channelId} onClick={() => join(c.channelId)}>
                Join
              </button>
            )}
          </li>
        ))}
      </ul>
      {directory && entries.length === 0 && <p className="browse-empty">{query ? "No channel matches your search." : "No channels yet. Create the first one."}</p>}
    </Modal>
  );
}
