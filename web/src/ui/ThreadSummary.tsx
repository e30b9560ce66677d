/**
 * Under a message with replies: a button named by their count ("1 reply", "3 replies") with
 * the repliers' avatars (first replier first) and the time of the last reply; it opens the
 * thread beside the channel.
 */
import type { ReactElement } from "react";
import type { PageMessage } from "../../../functions/domain/projections/channel";
import { Avatar } from "./Avatar";
import { useChat } from "./context";
import { formatFull, formatTime, plural } from "./format";

/** At most this many repliers' avatars show. */
const avatarsShown = 5;

export function ThreadSummary({ message, onOpen }: { message: PageMessage; onOpen(messageId: string): void }): ReactElement | null {
  const users = useChat((s) => s.users);
  if (!message.replyCount) return null;
  const repliers = (message.replyUserIds ?? []).slice(0, avatarsShown);
  return (
    <button type="button" className="thread-summary" onClick={() => onOpen(message.messageId)}>
      <span className="thread-summary-avatars">
        {repliers.map((userId) => (
          <Avatar key={userId} userId={userId} name={users.get(userId) || "Someone"} size={20} />
        ))}
      </span>
      <span className="thread-summary-count">{plural(message.replyCount, "reply", "replies")}</span>
      {message.lastReplyAt && (
        <time className="thread-summary-time" dateTime={message.lastReplyAt} title={formatFull(message.lastReplyAt)}>
          Last reply {formatTime(message.lastReplyAt)}
        </time>
      )}
    </button>
  );
}
