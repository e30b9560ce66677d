/**
 * The sidebar: the workspace name and connection state, "Create channel" and "Browse
 * channels", the "Channels" navigation (one link per channel we are in, named by the
 * channel's name; the unread count is a description, not part of the name), "Apps" (apps,
 * their tokens and webhooks), and who is
 * signed in (their name opens "Edit profile") with "Sign out". On a phone it is a menu (Workspace opens it) with "Close menu".
 */
import { type ReactElement, useEffect, useRef, useState } from "react";
import { channelPath, mentionsPath } from "../route";
import { followLink } from "../router";
import type { ConnectionState } from "../state/chatStore";
import type { SidebarChannel } from "../state/selectors";
import { Avatar } from "./Avatar";
import { AppsDialog } from "./apps/AppsDialog";
import { BrowseDialog } from "./BrowseDialog";
import { useChat, useStore } from "./context";
import { CreateChannelDialog } from "./CreateChannelDialog";
import { DirectMessages } from "./DirectMessages";
import { ProfileDialog } from "./ProfileDialog";
import { Icon } from "./icons";
import { RetryAlert } from "./RetryAlert";

export interface SidebarProps {
  channels: SidebarChannel[];
  /** Our DMs, named by the other people in them. */
  dms: SidebarChannel[];
  openId: string | undefined;
  connection: ConnectionState;
  /** Our channels have been read; until then, why not (shown here unless the main pane says it). */
  ready: boolean;
  loadError: string | undefined;
  /** New mentions since the person last opened them; the "Mentions" entry's badge. */
  unseenMentions: number;
  mentionsOpen: boolean;
  onSignOut(): void;
  /** On a phone: whether the sidebar is open over the screen. */
  menuOpen: boolean;
  onCloseMenu(): void;
}

export function Sidebar({ channels, dms, openId, connection, ready, loadError, unseenMentions, mentionsOpen, onSignOut, menuOpen, onCloseMenu }: SidebarProps): ReactElement {
  const store = useStore();
  const [dialog, setDialog] = useState<"create" | "browse" | "profile" | "apps">();
  const me = useChat((s) => s.me);
  const offline = connection === "waiting" || connection === "connecting";
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (menuOpen) closeButton.current?.focus();
  }, [menuOpen]);
  return (
    <aside className="sidebar" id="sidebar">
      <div className="sidebar-top">
        <div className="workspace-name">
          <Icon name="logo" size={20} />
          <span>Chat</span>
        </div>
        <p className={`connection ${offline ? "is-offline" : "is-online"}`} role="status">
          {connection === "waiting" ? "Reconnecting…" : connection === "connecting" ? "Connecting…" : ""}
        </p>
        <button type="button" ref={closeButton} className="menu-close" aria-label="Close menu" onClick={onCloseMenu}>
          <Icon name="close" size={18} />
        </button>
      </div>
      <div className="sidebar-actions">
        <button type="button" className="sidebar-button" aria-haspopup="dialog" onClick={() => setDialog("browse")}>
          <Icon name="compass" />
          <span>Browse channels</span>
        </button>
        <button type="button" className="sidebar-button" aria-haspopup="dialog" onClick={() => setDialog("create")}>
          <Icon name="plus" />
          <span>Create channel</span>
        </button>
        <button type="button" className="sidebar-button" aria-haspopup="dialog" onClick={() => setDialog("apps")}>
          <Icon name="plug" />
          <span>Apps</span>
        </button>
      </div>
      <a
        href={mentionsPath}
        className={`sidebar-button mentions-link${mentionsOpen ? " is-active" : ""}`}
        aria-current={mentionsOpen ? "page" : undefined}
        aria-describedby={unseenMentions ? "unseen-mentions" : undefined}
        onClick={followLink}
      >
        <span aria-hidden="true">@</span>
        <span>Mentions</span>
        {unseenMentions > 0 && (
          <span className="badge" aria-hidden="true">
            {unseenMentions > 99 ? "99+" : unseenMentions}
          </span>
        )}
      </a>
      {unseenMentions > 0 && (
        <span id="unseen-mentions" hidden>
          {unseenMentions === 1 ? "1 new mention" : `${unseenMentions} new mentions`}
        </span>
      )}
      <nav aria-label="Channels" className="channel-nav">
        <h2 className="sidebar-heading" aria-hidden="true">
          Channels
        </h2>
        {channels.length > 0 ? null : loadError ? (
          <RetryAlert className="sidebar-empty" message={loadError} onRetry={() => void store.load()} />
        ) : ready ? (
          <p className="sidebar-empty">You are not in any channel yet. Browse or create one.</p>
        ) : null}
        {channels.length > 0 && (
          <ul>
            {channels.map((c) => (
              <li key={c.channelId}>
                <a
                  href={channelPath(c.channelId)}
                  className={`channel-link${c.channelId === openId ? " is-active" : ""}${c.unread && c.channelId !== openId ? " is-unread" : ""}`}
                  aria-current={c.channelId === openId ? "page" : undefined}
                  aria-describedby={c.unread && c.channelId !== openId ? `unread-${c.channelId}` : undefined}
                  onClick={followLink}
                >
                  <span className="channel-glyph" aria-hidden="true">
                    {c.private ? <Icon name="lock" size={14} /> : "#"}
                  </span>
                  <span className="channel-name">{c.name}</span>
                  {c.unread > 0 && c.channelId !== openId && (
                    <span className="badge" aria-hidden="true">
                      {c.unread > 99 ? "99+" : c.unread}
                    </span>
                  )}
                </a>
                {c.unread > 0 && c.channelId !== openId && (
                  <span id={`unread-${c.channelId}`} hidden>
                    {c.unread === 1 ? "1 unread message" : `${c.unread} unread messages`}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </nav>
      <DirectMessages dms={dms} openId={openId} />
      <div className="sidebar-me">
        <Avatar userId={me.userId} name={me.name} size={28} />
        <button type="button" className="me-name" title="Edit profile" aria-haspopup="dialog" aria-label={`Edit profile (${me.name})`} onClick={() => setDialog("profile")}>
          {me.name}
        </button>
        <button type="button" className="sign-out" onClick={onSignOut}>
          Sign out
        </button>
      </div>
      {dialog === "create" && <CreateChannelDialog onClose={() => setDialog(undefined)} />}
      {dialog === "browse" && <BrowseDialog onClose={() => setDialog(undefined)} />}
      {dialog === "profile" && <ProfileDialog onClose={() => setDialog(undefined)} />}
      {dialog === "apps" && <AppsDialog onClose={() => setDialog(undefined)} />}
    </aside>
  );
}
