/**
 * "New direct message": a textbox "People" offering everyone else by name (the people
 * picker), each one chosen joining the list above it (up to 8, as the contract allows),
 * and "Start", which opens the DM of us and them (the one already there, if any).
 */
import { type FormEvent, type ReactElement, useEffect, useMemo, useState } from "react";
import { limits } from "../../../functions/domain/limits";
import { isApiError } from "../api/apiError";
import type { Person } from "../compose/mentionComplete";
import { channelPath } from "../route";
import { navigate } from "../router";
import { useChat, useStore } from "./context";
import { DialogFooter } from "./DialogFooter";
import { Modal } from "./Modal";
import { PeoplePicker } from "./PeoplePicker";

export function NewDmDialog({ onClose }: { onClose(): void }): ReactElement {
  const store = useStore();
  const users = useChat((s) => s.users);
  const me = useChat((s) => s.me);
  const [chosen, setChosen] = useState<Person[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => void store.readUsers(), [store]);

  const offered = useMemo(
    () => [...users].filter(([id, name]) => id !== me.userId && name && !chosen.some((p) => p.userId === id)).map(([userId, name]) => ({ userId, name })),
    [users, me.userId, chosen],
  );

  async function start(event: FormEvent) {
    event.preventDefault();
    if (chosen.length === 0 || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const channelId = await store.writes.openDm(chosen.map((p) => p.userId));
      onClose();
      navigate(channelPath(channelId));
    } catch (failure) {
      setError(isApiError(failure) ? failure.message : "The conversation could not be started. Try again.");
      setBusy(false);
    }
  }

  return (
    <Modal title="New direct message" onClose={onClose}>
      <form onSubmit={start} noValidate>
        <p className="dialog-lead">A private conversation with one person, or a few (up to {limits.dmOthers}).</p>
        {chosen.length > 0 && (
          <ul className="member-list" aria-label="Chosen people">
            {chosen.map((p) => (
              <li key={p.userId}>
                <span>{p.name}</span>
                <button type="button" className="secondary small" aria-label={`Remove ${p.name}`} onClick={() => setChosen((c) => c.filter((x) => x.userId !== p.userId))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        {chosen.length < limits.dmOthers && (
          <PeoplePicker key={chosen.length} label="People" textbox people={offered} onChoose={(p) => p && setChosen((c) => [...c, p])} />
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <DialogFooter submit="Start" busy={busy} disabled={chosen.length === 0} onCancel={onClose} />
      </form>
    </Modal>
  );
}
