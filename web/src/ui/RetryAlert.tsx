/** Something could not be read and is being read again by itself; "Retry" reads it now. */
import type { ReactElement } from "react";

export function RetryAlert({ message, onRetry, className }: { message: string; onRetry(): void; className?: string }): ReactElement {
  return (
    <div className={`retry-alert${className ? ` ${className}` : ""}`}>
      <p role="alert">{message} Trying again…</p>
      <button type="button" className="secondary small" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
