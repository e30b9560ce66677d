/**
 * Who is in a channel; a member can add someone else (the way into a private channel) with
 * a searchable picker of everyone not in it yet, read afresh when the dialog opens so that
 * someone who signed up a minute ago is there. The channel's creator can also remove
 * someone ("Remove <name>", after asking).
 */
import { type FormEvent, type ReactElement, useEffect, useMemo, useState } from "react";
import { isApiError } from "../api/apiError";
import type { Person } from "../compose/mentionComplete";
import { Avatar } from "./Avatar";
import { ConfirmDialog } from "./ConfirmDialog";
import { useChat, useStore } from "./context";
import { Modal } from "./Modal";
import { PeoplePicker } from "./PeoplePicker";

export function MembersDialog({ channelId, onClose }: { channelId: string; onClose(): void }): ReactElement {
  const store = useStore();
  const head = useChat((s) => s.timelines.get(channelId)?.head);
  const users = useChat((s) => s.users);
  const me = useChat((s) => s.me);
  const [adding, setAdding] = useState<Person>();
  const [added, setAdded] = useState(0);
  const [error, setError] = useState<string>();
  const [removing, setRemoving] = useState<Person>();

  useEffect(() => void store.readUsers(), [store]);

  const members = head?.members ?? [];
  const member = members.includes(me.userId);
  const creator = member && head?.createdBy === me.userId;
  const others = useMemo(() => [...users].filter(([id]) => !members.includes(id)).map(([userId, name]) => ({ userId, name })), [users, members]);

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!adding) return;
    setError(undefined);
    try {
      await store.writes.join(channelId, adding.userId);
      setAdding(undefined);
      setAdded((n) => n + 1);
    } catch (failure) {
      setError(isApiError(failure) ? failure.message : "Could not add them. Try again.");
    }
  }

  async function remove(person: Person) {
    setRemoving(undefined);
    setError(undefined);
    try {
      await store.writes.leave(channelId, person.userId);
    } catch (failure) {
      setError(isApiError(failure) ? failure.message : `Could not remove ${person.name}. Try again.`);
    }
  }

  return (
    <Modal title={`Members of #${head?.name ?? ""}`} onClose={onClose}>
      <ul className="member-list" aria-label="Members">
        {members.map((id) => (
          <li key={id}>
            <Avatar userId={id} name={users.get(id) || "?"} size={28} />
            <span>
              {users.get(id) || "Someone"}
              {id === me.userId ? " (you)" : ""}
            </span>
            {creator && id !== me.userId && (
              <button
                type="button"
                className="secondary small remove-member"
                aria-label={`Remove ${users.get(id) || "Someone"}`}
                onClick={() => setRemoving({ userId: id, name: users.get(id) || "Someone" })}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {member && (
        <form className="add-member" onSubmit={add}>
          <PeoplePicker key={added} label="Add someone" people={others} onChoose={setAdding} />
          <div className="add-member-actions">
            <button type="submit" className="primary small" disabled={!adding}>
              Add
            </button>
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
      {error && !member && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {removing && (
        <ConfirmDialog title={`Remove ${removing.name}`} confirmLabel="Remove" onConfirm={() => void remove(removing)} onCancel={() => setRemoving(undefined)}>
          Remove {removing.name} from #{head?.name ?? ""}? They can no longer read it unless someone adds them again.
        </ConfirmDialog>
      )}
    </Modal>
  );
}
