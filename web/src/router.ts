/** Moving between screens with the History API (no library); the routes are in route.ts. */
import { useSyncExternalStore } from "react";

const changed = "chat:navigate";

/** Goes to a path (which may carry a query string), unless already there. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new Event(changed));
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("popstate", listener);
  window.addEventListener(changed, listener);
  return () => {
    window.removeEventListener("popstate", listener);
    window.removeEventListener(changed, listener);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

/** The query string (`?m=…`, `?q=…`), or "". */
export function useSearchParams(): string {
  return useSyncExternalStore(subscribe, () => location.search);
}

/** For `<a href>` clicks: navigates in place unless the person asked for a new tab or window. */
export function followLink(event: React.MouseEvent<HTMLAnchorElement>, after?: () => void): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.pathname + event.currentTarget.search);
  after?.();
}
