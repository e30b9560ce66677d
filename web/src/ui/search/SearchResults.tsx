/**
 * The "Search results" screen, in place of the channel: the query's results, newest first,
 * each named by its channel (or its DM's people) and author, with "Load more" while more remain.
 * Says so when nothing matched, and shows the server's own message when it refused the
 * query (it says which filter is wrong), with the filters' hint.
 */
import { type ReactElement, useEffect, useMemo, useSyncExternalStore } from "react";
import { highlightWords } from "../../format/highlight";
import { dmTitle, isDm } from "../../state/dms";
import { nameOf } from "../../state/selectors";
import { useChat, useStore } from "../context";
import { RetryAlert } from "../RetryAlert";
import { FilterHint } from "./FilterHint";
import { SearchResultItem } from "./SearchResultItem";

export function SearchResults({ query }: { query: string }): ReactElement {
  const store = useStore();
  const search = useSyncExternalStore(store.search.subscribe, store.search.getState);
  const place = usePlaces();
  const users = useChat((s) => s.users);
  const highlight = useMemo(() => highlightWords(query), [query]);
  const blank = query.trim() === "";

  useEffect(() => {
    if (!blank) store.search.show(query);
  }, [store, query, blank]);

  const shown = search.query === query ? search : undefined;
  const results = shown?.results ?? [];
  const unnamed = results.some((r) => place(r.channelId) === undefined);
  // A channel created since the directory was read: read it again.
  useEffect(() => {
    if (unnamed) void store.readDirectory();
  }, [unnamed, store]);

  return (
    <section className="search-results" aria-labelledby="search-title">
      <header className="channel-header">
        <div className="channel-title-row">
          <h1 id="search-title" className="channel-title">
            Search results
          </h1>
          {!blank && <p className="channel-topic">for “{query}”</p>}
        </div>
      </header>
      <div className="search-scroll">
        {blank && (
          <div className="empty-main search-empty">
            <p>Type words in the search box and press Enter.</p>
            <FilterHint />
          </div>
        )}
        {shown?.problem?.kind === "invalid" && (
          <div className="search-empty">
            <p className="form-error" role="alert">
              {shown.problem.message}
            </p>
            <FilterHint />
          </div>
        )}
        {shown?.problem?.kind === "unavailable" && <RetryAlert className="channel-problem" message={`Search could not run: ${shown.problem.message}`} onRetry={() => store.search.retry()} />}
        {!blank && (!shown || shown.status === "searching") && (
          <p className="loading" role="status">
            Searching…
          </p>
        )}
        {shown?.status === "done" && results.length === 0 && (
          <div className="empty-main search-empty">
            <p role="status">No messages match “{query}”.</p>
            <FilterHint />
          </div>
        )}
        {results.length > 0 && (
          <ul className="search-list" aria-label="Search results">
            {results.map((r) => (
              <SearchResultItem key={`${r.channelId}/${r.messageId}`} result={r} place={place(r.channelId) ?? "a channel"} author={nameOf(users, r.userId)} highlight={highlight} />
            ))}
          </ul>
        )}
        {shown?.cursor && (shown.status === "done" || shown.status === "more") && (
          <div className="history-more">
            <button type="button" className="secondary small" disabled={shown.status === "more"} onClick={() => store.search.more()}>
              {shown.status === "more" ? "Loading more…" : "Load more"}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}

/** Where a message was said: `#name` from the channel we hold or the directory, a DM's other people; undefined while unknown. */
function usePlaces(): (channelId: string) => string | undefined {
  const timelines = useChat((s) => s.timelines);
  const directory = useChat((s) => s.directory);
  const users = useChat((s) => s.users);
  const me = useChat((s) => s.me);
  return (channelId) => {
    const head = timelines.get(channelId)?.head;
    if (head && isDm(head)) return dmTitle(head.members, users, me.userId);
    const name = head?.name ?? directory?.find((c) => c.channelId === channelId)?.name;
    return name === undefined ? undefined : `#${name}`;
  };
}
