/**
 * One search result: where it was said (`#channel`, or a DM's people), who said it, when,
 * and the text as mrkdwn with the query's words in `<mark>`. Choosing it (its link, or a
 * click anywhere on it outside the text's own links) opens its channel, or its thread, at the message.
 */
import { type MouseEvent, type ReactElement } from "react";
import type { SearchResult } from "../../api/apiError";
import { messagePath } from "../../route";
import { followLink, navigate } from "../../router";
import { Avatar } from "../Avatar";
import { formatDay, formatFull, formatTime } from "../format";
import { MessageText } from "../MessageText";

export interface SearchResultItemProps {
  result: SearchResult;
  /** `#general`, or a DM's people. */
  place: string;
  author: string;
  highlight: readonly string[];
}

export function SearchResultItem({ result, place, author, highlight }: SearchResultItemProps): ReactElement {
  const path = messagePath(result.channelId, result.messageId, result.threadId);
  const onClick = (event: MouseEvent<HTMLLIElement>) => {
    if ((event.target as Element).closest("a") || window.getSelection()?.toString()) return;
    navigate(path);
  };
  return (
    <li className="message search-result" onClick={onClick}>
      <Avatar userId={result.userId} name={author} size={36} />
      <div className="message-main">
        <p className="message-meta">
          <a className="search-place" href={path} onClick={followLink}>
            {place}
          </a>
          {result.threadId && <span className="search-in-thread">in a thread</span>}
        </p>
        <p className="message-meta">
          <span className="author">{author}</span>{" "}
          <time dateTime={result.sentAt} title={formatFull(result.sentAt)}>
            {formatDay(result.sentAt)}, {formatTime(result.sentAt)}
          </time>
          {result.editedAt && <span className="edited"> (edited)</span>}
        </p>
        <div className="message-text">
          <MessageText text={result.text} highlight={highlight} />
        </div>
      </div>
    </li>
  );
}
