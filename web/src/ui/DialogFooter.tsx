/** A form dialog's buttons: Cancel, and the one that submits it. */
import type { ReactElement } from "react";

export function DialogFooter({ submit, busy, disabled, onCancel }: { submit: string; busy: boolean; disabled?: boolean; onCancel(): void }): ReactElement {
  return (
    <footer className="dialog-footer">
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="primary" aria-busy={busy} disabled={disabled}>
        {submit}
      </button>
    </footer>
  );
}
