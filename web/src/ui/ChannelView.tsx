/**
 * One channel: its header (name, topic, members, "Edit channel", Join/Leave), the messages, and the message
 * box for members or "Join channel" for everyone else. It knows which message is being
 * edited, so that Up in the empty message box can edit one's last message, and focus goes
 * back to the message box when that edit ends. Leaving a private channel is for good (only
 * a member can add one back), so it asks first, and then the channel leaves the screen. A
 * channel that cannot be read (offline, a 5xx) says so, and is read again by itself.
 * A DM is headed by the other people's names, with no members, settings, Join or Leave:
 * its members are fixed.
 */
import { type ReactElement, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { describeWriteError, isApiError } from "../api/apiError";
import { threadPath } from "../route";
import { navigate } from "../router";
import { dmTitle, isDm } from "../state/dms";
import { rowsFor } from "../state/selectors";
import { hasEarlier } from "../state/timeline";
import { Composer } from "./Composer";
import { useChat, useStore } from "./context";
import { plural } from "./format";
import { Icon } from "./icons";
import { ChannelSettingsDialog } from "./ChannelSettingsDialog";
import { MembersDialog } from "./MembersDialog";
import { MessageList } from "./MessageList";
import { Modal } from "./Modal";
import { RetryAlert } from "./RetryAlert";

const unavailable = "This channel could not be loaded.";

/** `target`: a message to open the channel at (a search result), loading earlier pages until it is there. */
export function ChannelView({ channelId, target }: { channelId: string; target?: string }): ReactElement {
  const store = useStore();
  const t = useChat((s) => s.timelines.get(channelId));
  const problem = useChat((s) => s.problems.get(channelId));
  const outbox = useChat((s) => s.outbox);
  const me = useChat((s) => s.me);
  const users = useChat((s) => s.users);
  const loadingEarlier = useChat((s) => s.loadingEarlier.has(channelId));
  const [showMembers, setShowMembers] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [showSettings, setShowSettings] = useState(false);
  const unreadAfter = useChat((s) => (s.unreadAfter?.channelId === channelId ? s.unreadAfter.seq : undefined));
  const [busy, setBusy] = useState(false);
  const rows = useMemo(() => rowsFor(t, outbox, channelId), [t, outbox, channelId]);
  const [editingId, setEditingId] = useState<string>();
  const editFromComposer = useRef(false);
  const startEdit = useCallback((messageId: string) => {
    editFromComposer.current = false;
    setEditingId(messageId);
  }, []);
  const endEdit = useCallback(() => {
    if (editFromComposer.current) document.getElementById("composer")?.focus({ preventScroll: true });
    setEditingId(undefined);
  }, []);
  const openThread = useCallback((messageId: string) => navigate(threadPath(channelId, messageId)), [channelId]);
  const editLast = () => {
    const last = [...rows].reverse().find((r) => r.userId === me.userId && !r.deleted && !r.status);
    if (!last) return false;
    editFromComposer.current = true;
    setEditingId(last.messageId);
    return true;
  };

  useEffect(() => {
    store.open(channelId);
    return () => store.open(undefined);
  }, [store, channelId]);

  const head = t?.head;
  if (!head) {
    return (
      <div className="channel-missing">
        {problem === "forbidden" ? (
          <>
            <Icon name="lock" size={32} />
            <h1>This channel is private</h1>
            <p>Only its members can see it. Ask one of them to add you.</p>
          </>
        ) : problem === "not_found" ? (
          <>
            <h1>Channel not found</h1>
            <p>It may not exist, or the link is wrong.</p>
          </>
        ) : problem === "unavailable" ? (
          <RetryAlert message={unavailable} onRetry={() => store.sync.refresh(channelId)} />
        ) : (
          <p className="loading" role="status">
            Loading channel…
          </p>
        )}
        {/* Our messages kept from before a reload show (and go) even while the channel cannot be read. */}
        {rows.length > 0 && (
          <MessageList
            channelId={channelId}
            channelName=""
            rows={rows}
            activity={noActivity}
            unreadAfter={undefined}
            meId={me.userId}
            member
            hasEarlier={false}
            loadingEarlier={false}
            loaded={false}
            editingId={undefined}
            onStartEdit={startEdit}
            onEndEdit={endEdit}
          />
        )}
      </div>
    );
  }

  const member = head.members.includes(me.userId);
  const dm = isDm(head);
  const title = dm ? dmTitle(head.members, users, me.userId) : head.name;
  const act = async (action: () => Promise<void>, failure: string): Promise<boolean> => {
    setBusy(true);
    try {
      await action();
      return true;
    } catch (error) {
      store.showNotice(`${failure}: ${describeWriteError(error)}`);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const leave = async () => {
    setConfirmLeave(false);
    // Out of a private channel there is nothing left to see: go home (it opens another channel, or says there is none).
    if ((await act(() => store.writes.leave(channelId), "Could not leave the channel")) && head.private) navigate("/", { replace: true });
  };

  return (
    <section className="channel" aria-labelledby="channel-title">
      <header className="channel-header">
        <div className="channel-title-row">
          <h1 id="channel-title" className="channel-title">
            <span aria-hidden="true" className="channel-title-glyph">
              {dm ? <Icon name="users" size={16} /> : head.private ? <Icon name="lock" size={16} /> : "#"}
            </span>
            {title}
          </h1>
          {head.topic && <p className="channel-topic">{head.topic}</p>}
        </div>
        {!dm && <div className="channel-actions">
          <button type="button" className="members-button" onClick={() => setShowMembers(true)} aria-haspopup="dialog">
            <Icon name="users" size={16} />
            <span>{plural(head.members.length, "member")}</span>
          </button>
          {member && (
            <button type="button" className="secondary small" aria-haspopup="dialog" onClick={() => setShowSettings(true)}>
              Edit channel
            </button>
          )}
          {member && (
            <button
              type="button"
              className="secondary small"
              disabled={busy}
              aria-haspopup={head.private ? "dialog" : undefined}
              onClick={() => (head.private ? setConfirmLeave(true) : void leave())}
            >
              Leave channel
            </button>
          )}
        </div>}
      </header>
      {problem === "unavailable" && !t.pages && <RetryAlert className="channel-problem" message={unavailable} onRetry={() => store.sync.refresh(channelId)} />}
      <MessageList
        channelId={channelId}
        channelName={head.name}
        dmWith={dm ? title : undefined}
        rows={rows}
        activity={head.activity ?? noActivity}
        unreadAfter={unreadAfter}
        meId={me.userId}
        member={member}
        hasEarlier={hasEarlier(t)}
        loadingEarlier={loadingEarlier}
        loaded={t.pages !== undefined}
        editingId={editingId}
        onStartEdit={startEdit}
        onEndEdit={endEdit}
        onOpenThread={openThread}
        target={target}
      />
      {member ? (
        <Composer channelId={channelId} channelName={head.name} placeholder={dm ? `Message ${title}` : undefined} onEditLast={editLast} />
      ) : (
        <div className="join-bar">
          <p>
            You are viewing <strong>#{head.name}</strong>
            {head.topic ? ` — ${head.topic}` : ""}
          </p>
          <button type="button" className="primary" disabled={busy || head.private} onClick={() => act(() => store.writes.join(channelId), "Could not join the channel")}>
            Join channel
          </button>
        </div>
      )}
      {showMembers && <MembersDialog channelId={channelId} onClose={() => setShowMembers(false)} />}
      {confirmLeave && (
        <Modal title={`Leave #${head.name}?`} onClose={() => setConfirmLeave(false)}>
          <p className="dialog-lead">This channel is private: once you leave, you cannot rejoin it unless a member adds you again.</p>
          <footer className="dialog-footer">
            <button type="button" className="secondary" onClick={() => setConfirmLeave(false)}>
              Cancel
            </button>
            <button type="button" className="primary" onClick={() => void leave()}>
              Leave channel
            </button>
          </footer>
        </Modal>
      )}
      {showSettings && <ChannelSettingsDialog channelId={channelId} onClose={() => setShowSettings(false)} />}
    </section>
  );
}

const noActivity: never[] = [];
