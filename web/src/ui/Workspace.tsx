/**
 * The signed-in app: builds the chat store and the realtime connection for this person,
 * ties them to the browser (tab shown or hidden, focused, network back, a sleep), and lays out the
 * sidebar and the screen the URL names. On a phone the sidebar is a menu over the screen,
 * opened by "Open menu" and closed by choosing a screen, "Close menu", Escape or a tap beside it.
 */
import { type KeyboardEvent, type ReactElement, useEffect, useMemo, useRef, useState } from "react";
import type { Session, SessionUser } from "../auth/session";
import type { AppConfig } from "../config";
import { httpAppsApi } from "../api/httpAppsApi";
import { httpChatApi } from "../api/httpChatApi";
import { newId } from "../ids";
import { channelPath, parseRoute } from "../route";
import { navigate, usePathname, useSearchParams } from "../router";
import { ChatStore, type ReadMarks } from "../state/chatStore";
import { RealtimeClient, watchForSleep } from "../state/realtime";
import { sidebarChannels, sidebarDms, titleOf } from "../state/selectors";
import { realTimers } from "../state/timers";
import { UnsentWrites } from "../state/unsentWrites";
import { AppsApiContext } from "./apps/context";
import { ChannelView } from "./ChannelView";
import { ChatContext, useChat, useStore } from "./context";
import { Icon } from "./icons";
import { Notice } from "./Notice";
import { RetryAlert } from "./RetryAlert";
import { Sidebar } from "./Sidebar";
import { MentionsView } from "./MentionsView";
import { SearchBox } from "./search/SearchBox";
import { SearchResults } from "./search/SearchResults";
import { ThreadPanel } from "./ThreadPanel";
import { loadMentions, mayMention, type Mention } from "../state/mentions";
import { unreadMentions } from "../state/readMarks";

export function Workspace({ config, session, user }: { config: AppConfig; session: Session; user: SessionUser }): ReactElement | null {
  const [store, setStore] = useState<ChatStore>();
  const [mentions, setMentions] = useState<Mention[]>([]);
  const apps = useMemo(() => httpAppsApi(config.apiUrl, session), [config.apiUrl, session]);

  useEffect(() => {
    const api = httpChatApi(config.apiUrl, session);
    const chat = new ChatStore({ api, me: { userId: user.userId, name: user.name }, timers: realTimers, newId, marks: readMarks(user.userId), unsent: new UnsentWrites(localStorage, user.userId, Date.now()) });
    let stopped = false;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const refreshMentions = (delayMs = 0) => {
      clearTimeout(pending);
      // The mentions projection lags the push a moment: read after it had time to fold.
      pending = setTimeout(() => void loadMentions(api).then((m) => !stopped && setMentions(m)), delayMs);
    };
    const realtime = new RealtimeClient({
      url: async () => `${config.wsUrl}?token=${encodeURIComponent(await session.token())}`,
      open: (url) => new WebSocket(url),
      onEvent: (event) => {
        chat.receive(event);
        if (mayMention(event as { type: string; text?: string })) refreshMentions(1500);
      },
      onOpen: chat.reconnected,
      onStatus: chat.setConnection,
      hidden: () => document.visibilityState === "hidden",
      timers: realTimers,
    });
    const onVisibility = () => {
      chat.setVisible(document.visibilityState === "visible");
      if (document.visibilityState === "visible") {
        wake();
        void chat.refreshReadMarks();
      }
    };
    const wake = () => {
      chat.wake();
      realtime.wake();
    };
    // Back to this tab: another one (or device) may have read channels meanwhile.
    const onFocus = () => void chat.refreshReadMarks();
    const onOnline = wake;
    const stopWatching = watchForSleep(realTimers, () => realtime.restart());
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("focus", onFocus);
    window.addEventListener("online", onOnline);
    chat.setVisible(document.visibilityState === "visible");
    setStore(chat);
    void chat.start();
    realtime.start();
    refreshMentions();
    return () => {
      stopped = true;
      clearTimeout(pending);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("focus", onFocus);
      window.removeEventListener("online", onOnline);
      stopWatching();
      realtime.stop();
      chat.dispose();
    };
  }, [config, session, user.userId, user.name]);

  if (!store) return null;
  return (
    <ChatContext.Provider value={store}>
      <AppsApiContext.Provider value={apps}>
        <Layout session={session} mentions={mentions} userId={user.userId} />
      </AppsApiContext.Provider>
    </ChatContext.Provider>
  );
}

function Layout({ session, mentions, userId }: { session: Session; mentions: Mention[]; userId: string }): ReactElement {
  const store = useStore();
  const pathname = usePathname();
  const route = parseRoute(pathname, useSearchParams());
  const menu = usePhoneMenu(pathname);
  const seenKey = `chat.mentionsSeen.${userId}`;
  const [seenUntil, setSeenUntil] = useState(() => localStorage.getItem(seenKey) ?? undefined);
  useEffect(() => {
    const newest = mentions[0]?.sentAt;
    if (route.kind !== "mentions" || !newest || (seenUntil && seenUntil >= newest)) return;
    localStorage.setItem(seenKey, newest);
    setSeenUntil(newest);
  }, [route.kind, mentions, seenUntil, seenKey]);
  const timelines = useChat((s) => s.timelines);
  const read = useChat((s) => s.read);
  const counted = useChat((s) => s.counted);
  const me = useChat((s) => s.me);
  const ready = useChat((s) => s.ready);
  const loadError = useChat((s) => s.loadError);
  const visible = useChat((s) => s.visible);
  const removedFrom = useChat((s) => s.removedFrom);
  const users = useChat((s) => s.users);
  const channels = useMemo(() => sidebarChannels({ timelines, read, counted, me }), [timelines, read, counted, me]);
  const dms = useMemo(() => sidebarDms({ timelines, read, counted, me, users }), [timelines, read, counted, me, users]);
  const openId = route.kind === "channel" ? route.channelId : undefined;
  const connection = useChat((s) => s.connection);

  useEffect(() => {
    // Removed from the open channel: another one opens (the notice says why).
    if (!removedFrom || removedFrom !== openId) return;
    const next = channels.find((c) => c.channelId !== removedFrom);
    navigate(next ? channelPath(next.channelId) : "/", { replace: true });
  }, [removedFrom, openId, channels]);

  useEffect(() => {
    // At home, open the first channel we are in.
    if (route.kind !== "home" || !ready) return;
    const first = channels[0];
    if (first) navigate(channelPath(first.channelId), { replace: true });
  }, [route.kind, ready, channels]);

  const openDm = dms.find((c) => c.channelId === openId);
  const current = openId && !openDm ? timelines.get(openId)?.head?.name : undefined;
  const title = titleOf([...channels, ...dms], openId, current, visible);
  useEffect(() => {
    document.title = title;
  }, [title]);

  return (
    <div className={`workspace${menu.open ? " menu-open" : ""}`} onKeyDown={menu.onKeyDown}>
      <a className="skip-link" href="#composer">
        Skip to the message box
      </a>
      <div className="menu-backdrop" aria-hidden="true" onClick={menu.close} />
      <Sidebar
        menuOpen={menu.open}
        onCloseMenu={menu.close}
        channels={channels}
        dms={dms}
        openId={openId}
        onSignOut={() => {
          // Writes still unsent are not sent for the next person to sign in here.
          store.forgetUnsent();
          session.signOut();
        }}
        connection={connection}
        ready={ready}
        loadError={route.kind === "home" ? undefined : loadError}
        unseenMentions={route.kind === "mentions" ? 0 : unreadMentions(mentions, read, seenUntil)}
        mentionsOpen={route.kind === "mentions"}
      />
      <main className="main">
        <button type="button" ref={menu.button} className="menu-button" aria-label="Open menu" aria-expanded={menu.open} aria-controls="sidebar" onClick={menu.show}>
          <Icon name="menu" size={20} />
        </button>
        <header className="app-header">
          <SearchBox routeQuery={route.kind === "search" ? route.query : undefined} />
        </header>
        {route.kind === "mentions" ? (
          <MentionsView mentions={mentions} />
        ) : route.kind === "search" ? (
          <SearchResults query={route.query} />
        ) : route.kind === "channel" ? (
          <div className={route.threadId ? "conversation has-thread" : "conversation"}>
            <ChannelView key={route.channelId} channelId={route.channelId} target={route.threadId ? undefined : route.messageId} />
            {route.threadId && <ThreadPanel channelId={route.channelId} threadId={route.threadId} target={route.messageId} />}
          </div>
        ) : (
          <Home ready={ready} loadError={loadError} empty={channels.length === 0 && dms.length === 0 && [...timelines.values()].every((t) => t.head)} />
        )}
      </main>
      <Notice />
    </div>
  );
}

/** The phone's menu: open or not, closed on every move to another screen; focus back on its button when it closes. */
function usePhoneMenu(pathname: string) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => setOpen(false), [pathname]);
  const close = () => {
    setOpen(false);
    if (document.activeElement?.closest("#sidebar")) button.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // An Escape inside a dialog (rendered in a portal, its keys still bubble here) is the dialog's.
    if (open && event.key === "Escape" && !(event.target as Element).closest("dialog")) close();
  };
  return { open, button, show: () => setOpen(true), close, onKeyDown };
}

function Home({ ready, loadError, empty }: { ready: boolean; loadError: string | undefined; empty: boolean }): ReactElement {
  const store = useStore();
  if (!ready && loadError) return <RetryAlert className="empty-main" message={loadError} onRetry={() => void store.load()} />;
  if (!ready || !empty) return <p className="empty-main loading">Loading…</p>;
  return (
    <div className="empty-main welcome">
      <h1>Welcome to Chat</h1>
      <p>You are not in any channel yet. Use “Browse channels” to find one to join, or “Create channel” to start your own.</p>
    </div>
  );
}

function readMarks(userId: string): ReadMarks {
  const key = `chat.readMarks.${userId}`;
  return {
    load: () => {
      try {
        return JSON.parse(localStorage.getItem(key) ?? "{}") as Record<string, number>;
      } catch {
        return {};
      }
    },
    save: (marks) => localStorage.setItem(key, JSON.stringify(marks)),
  };
}
