/**
 * A modal dialog: the native `<dialog>` opened with `showModal()` (focus kept inside,
 * Escape closes), rendered at the end of the body while the rest of the app is made inert
 * and hidden from assistive technology, so only the dialog's controls can be found.
 * Focus goes to the element marked `data-autofocus` (else the browser's first choice, the
 * "Close" button), and back to whatever had it before (the opener) when the dialog closes.
 */
import { type ReactElement, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { Icon } from "./icons";

export interface ModalProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
}

export function Modal({ title, onClose, children, className }: ModalProps): ReactElement {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Read while rendering, before the dialog takes focus: who opened it.
  const [opener] = useState(() => document.activeElement);

  useEffect(() => {
    const element = dialog.current;
    const app = document.getElementById("root");
    app?.setAttribute("inert", "");
    app?.setAttribute("aria-hidden", "true");
    if (element && !element.open) {
      element.showModal();
      element.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    }
    return () => {
      app?.removeAttribute("inert");
      app?.removeAttribute("aria-hidden");
      element?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus({ preventScroll: true });
    };
  }, [opener]);

  return createPortal(
    <dialog
      ref={dialog}
      className={`dialog${className ? ` ${className}` : ""}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {children}
    </dialog>,
    document.body,
  );
}
