/** Who is in a channel; a member can add someone else (the way into a private channel). */
import { type FormEvent, type ReactElement, useId, useMemo, useState } from "react";
import { isApiError } from "../api/apiError";
import { Avatar } from "./Avatar";
import { useChat, useStore } from "./context";
import { Modal } from "./Modal";

export function MembersDialog({ channelId, onClose }: { channelId: string; onClose(): void }): ReactElement {
  const store = useStore();
  const head = useChat((s) => s.timelines.get(channelId)?.head);
  const users = useChat((s) => s.users);
  const me = useChat((s) => s.me);
  const [adding, setAdding] = useState("");
  const [error, setError] = useState<string>();
  const ids = useId();

  const members = head?.members ?? [];
  const member = members.includes(me.userId);
  const others = useMemo(() => [...users].filter(([id]) => !members.includes(id)).sort((a, b) => a[1].localeCompare(b[1])), [users, members]);

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!adding) return;
    setError(undefined);
    try {
      await store.writes.join(channelId, adding);
      setAdding("");
    } catch (failure) {
      setError(isApiError(failure) ? failure.message : "Could not add them. Try again.");
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
          </li>
        ))}
      </ul>
      {member && others.length > 0 && (
        <form className="add-member" onSubmit={add}>
          <label htmlFor={`${ids}-who`}>Add someone</label>
          <div className="add-member-row">
            <select id={`${ids}-who`} value={adding} onChange={(e) => setAdding(e.target.value)}>
              <option value="">Choose a person…</option>
              {others.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
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
    </Modal>
  );
}
