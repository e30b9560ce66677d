/** The chat store for the components under the workspace, and a hook to select from it. */
import { createContext, useContext, useSyncExternalStore } from "react";
import type { ChatState, ChatStore } from "../state/chatStore";

export const ChatContext = createContext<ChatStore | undefined>(undefined);

export function useStore(): ChatStore {
  const store = useContext(ChatContext);
  if (!store) throw new Error("useStore outside <ChatContext>");
  return store;
}

/** Re-renders when the selected value changes (by identity): select stored values, derive with useMemo. */
export function useChat<T>(select: (state: ChatState) => T): T {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
