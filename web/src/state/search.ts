/**
 * A search and its results (CONTRACT §12): the query run, the results of every page read so
 * far (newest first), and whether more remain. Running the query on screen again is a no-op
 * (going back to the results keeps them); a new query or "Load more" drops any answer still
 * on its way for the one before. A 400 keeps the server's message, which says which filter is wrong.
 */
import { type ChatApi, isApiError, type SearchResult } from "../api/apiError";

export type { SearchResult };

export interface SearchState {
  query: string;
  results: readonly SearchResult[];
  /** Present when more results remain. */
  cursor: string | undefined;
  status: "idle" | "searching" | "more" | "done" | "failed";
  /** Why it failed: `invalid` is the server's refusal of the query (its message says why), `unavailable` anything else. */
  problem: { kind: "invalid" | "unavailable"; message: string } | undefined;
}

const idle: SearchState = { query: "", results: [], cursor: undefined, status: "idle", problem: undefined };

export class SearchSession {
  private state: SearchState = idle;
  private readonly listeners = new Set<() => void>();
  /** Counts requests, so an answer to one that was overtaken is dropped. */
  private generation = 0;

  constructor(private readonly deps: { api: Pick<ChatApi, "search"> }) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SearchState => this.state;

  /** Shows `query`'s results: those held when it is the query already run (and did not fail), else runs it. */
  show(query: string): void {
    if (query === this.state.query && this.state.status !== "idle" && this.state.status !== "failed") return;
    this.run(query);
  }

  /** Runs `query` afresh (the person pressed Enter). */
  run(query: string): void {
    this.set({ query, results: [], cursor: undefined, status: "searching", problem: undefined });
    void this.read(undefined);
  }

  /** The next page, when there is one. */
  more(): void {
    const { cursor, status } = this.state;
    if (!cursor || status !== "done") return;
    this.set({ ...this.state, status: "more", problem: undefined });
    void this.read(cursor);
  }

  /** After a failure: the page that failed, again. */
  retry(): void {
    if (this.state.status !== "failed") return;
    if (this.state.results.length === 0) return this.run(this.state.query);
    this.set({ ...this.state, status: "done" });
    this.more();
  }

  clear(): void {
    this.generation++;
    this.set(idle);
  }

  private async read(cursor: string | undefined): Promise<void> {
    const generation = ++this.generation;
    const { query } = this.state;
    try {
      const answer = await this.deps.api.search(query, cursor);
      if (generation !== this.generation) return;
      this.set({ ...this.state, results: [...this.state.results, ...answer.results], cursor: answer.cursor, status: "done" });
    } catch (error) {
      if (generation !== this.generation) return;
      const invalid = isApiError(error, 400);
      const message = error instanceof Error ? error.message : String(error);
      this.set({ ...this.state, status: "failed", problem: { kind: invalid ? "invalid" : "unavailable", message } });
    }
  }

  private set(next: SearchState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
