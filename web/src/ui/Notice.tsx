/** A message about something that went wrong out of sight (an edit that was not saved, …). */
import { type ReactElement, useEffect } from "react";
import { useChat, useStore } from "./context";
import { Icon } from "./icons";

export function Notice(): ReactElement | null {
  const store = useStore();
  const notice = useChat((s) => s.notice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => store.dismissNotice(), 8000);
    return () => clearTimeout(timer);
  }, [notice, store]);
  if (!notice) return null;
  return (
    <div className="notice" role="alert">
      <span>{notice}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => store.dismissNotice()}>
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}
