/**
 * "Edit profile" (CONTRACT §14): the "Display name" (1–80 characters, not blank) and Save.
 * A blank name is refused here, before the server would; the new name shows at once on
 * every message, in every signed-in browser (the `user_renamed` push).
 */
import { type FormEvent, type ReactElement, useId, useState } from "react";
import { isApiError } from "../api/apiError";
import { useChat, useStore } from "./context";
import { DialogFooter } from "./DialogFooter";
import { Modal } from "./Modal";

export const maxDisplayName = 80;

export function ProfileDialog({ onClose }: { onClose(): void }): ReactElement {
  const store = useStore();
  const me = useChat((s) => s.me);
  const [name, setName] = useState(me.name);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = useId();

  async function save(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError("Your display name cannot be blank.");
    if (trimmed === me.name) return onClose();
    setBusy(true);
    setError(undefined);
    try {
      await store.rename(trimmed);
      onClose();
    } catch (failure) {
      setError(isApiError(failure) ? failure.message : "Your name could not be changed. Try again.");
      setBusy(false);
    }
  }

  return (
    <Modal title="Edit profile" onClose={onClose}>
      <form onSubmit={save} noValidate>
        <label htmlFor={`${ids}-name`}>Display name</label>
        <input
          id={`${ids}-name`}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setError(undefined);
          }}
          maxLength={maxDisplayName}
          autoComplete="name"
          data-autofocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${ids}-error` : undefined}
        />
        {error && (
          <p id={`${ids}-error`} className="form-error" role="alert">
            {error}
          </p>
        )}
        <DialogFooter submit="Save" busy={busy} onCancel={onClose} />
      </form>
    </Modal>
  );
}
