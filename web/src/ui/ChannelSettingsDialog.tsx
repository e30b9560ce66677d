/**
 * "Edit channel" (CONTRACT §14): the channel's Name (made one as it is typed, as in "Create
 * channel") and Topic, and Save, which sends a rename and a topic only for what changed.
 * Every member sees the new name and topic at once, from the pushed events.
 */
import { type FormEvent, type ReactElement, useId, useState } from "react";
import { isApiError } from "../api/apiError";
import { channelNameProblem, maxTopicLength } from "../channelName";
import { useChat, useStore } from "./context";
import { ChannelNameField } from "./ChannelNameField";
import { DialogFooter } from "./DialogFooter";
import { Modal } from "./Modal";

export function ChannelSettingsDialog({ channelId, onClose }: { channelId: string; onClose(): void }): ReactElement {
  const store = useStore();
  const head = useChat((s) => s.timelines.get(channelId)?.head);
  const [name, setName] = useState(head?.name ?? "");
  const [topic, setTopic] = useState(head?.topic ?? "");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const problem = channelNameProblem(name);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (problem || busy || !head) return;
    setBusy(true);
    setError(undefined);
    try {
      if (name !== head.name) await store.writes.changeChannel(channelId, { type: "channel_renamed", name });
      if (topic.trim() !== head.topic) await store.writes.changeChannel(channelId, { type: "channel_topic_set", topic: topic.trim() });
      onClose();
    } catch (failure) {
      setError(isApiError(failure) ? failure.message : "The channel could not be changed. Try again.");
      setBusy(false);
    }
  }

  return (
    <Modal title={`Edit #${head?.name ?? "channel"}`} onClose={onClose}>
      <form onSubmit={save} noValidate>
        <ChannelNameField
          id={`${ids}-name`}
          value={name}
          problem={problem}
          onChange={(slug) => {
            setName(slug);
            setError(undefined);
          }}
        />
        <label htmlFor={`${ids}-topic`}>Topic</label>
        <input id={`${ids}-topic`} value={topic} onChange={(e) => setTopic(e.target.value)} maxLength={maxTopicLength} placeholder="What is this channel about?" />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <DialogFooter submit="Save" busy={busy} disabled={Boolean(problem)} onCancel={onClose} />
      </form>
    </Modal>
  );
}
