/**
 * Asks before something that cannot be undone: the question, "Cancel" and the action's own
 * button (focused, so Enter confirms; Escape cancels and focus goes back to the opener).
 */
import type { ReactElement, ReactNode } from "react";
import { Modal } from "./Modal";

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onCancel }: ConfirmDialogProps): ReactElement {
  return (
    <Modal title={title} onClose={onCancel} className="confirm">
      <p className="dialog-lead">{children}</p>
      <footer className="dialog-footer">
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="primary is-danger" onClick={onConfirm} data-autofocus>
          {confirmLabel}
        </button>
      </footer>
    </Modal>
  );
}
