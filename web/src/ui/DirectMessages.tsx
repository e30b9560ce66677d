/**
 * The sidebar's "Direct messages" navigation: a link per DM we are in, named by the other
 * people in it ("Ben", "Ben, Cat"; the unread count is a description, as for channels),
 * and "New direct message".
 */
import { type ReactElement, useState } from "react";
import { channelPath } from "../route";
import { followLink } from "../router";
import type { SidebarChannel } from "../state/selectors";
import { Icon } from "./icons";
import { NewDmDialog } from "./NewDmDialog";

export function DirectMessages({ dms, openId }: { dms: readonly SidebarChannel[]; openId: string | undefined }): ReactElement {
  const [starting, setStarting] = useState(false);
  return (
    <nav aria-label="Direct messages" className="channel-nav dm-nav">
      <h2 className="sidebar-heading" aria-hidden="true">
        Direct messages
      </h2>
      {dms.length > 0 && (
        <ul>
          {dms.map((c) => {
            const unread = c.unread > 0 && c.channelId !== openId;
            return (
              <li key={c.channelId}>
                <a
                  href={channelPath(c.channelId)}
                  className={`channel-link${c.channelId === openId ? " is-active" : ""}${unread ? " is-unread" : ""}`}
                  aria-current={c.channelId === openId ? "page" : undefined}
                  aria-describedby={unread ? `unread-${c.channelId}` : undefined}
                  onClick={followLink}
                >
                  <span className="channel-glyph" aria-hidden="true">
                    <Icon name="users" size={14} />
                  </span>
                  <span className="channel-name">{c.name}</span>
                  {unread && (
                    <span className="badge" aria-hidden="true">
                      {c.unread > 99 ? "99+" : c.unread}
                    </span>
                  )}
                </a>
                {unread && (
                  <span id={`unread-${c.channelId}`} hidden>
                    {c.unread === 1 ? "1 unread message" : `${c.unread} unread messages`}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" className="sidebar-button" aria-haspopup="dialog" onClick={() => setStarting(true)}>
        <Icon name="plus" />
        <span>New direct message</span>
      </button>
      {starting && <NewDmDialog onClose={() => setStarting(false)} />}
    </nav>
  );
}
