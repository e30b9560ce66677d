/**
 * "Create channel": Name, Topic, Private, Create. The name is made one as it is typed ("My
 * Channel" becomes "my-channel") and checked as the server checks it; anything the server still refuses (a taken name) is shown as it says.
 * The new channel opens.
 */
import { type FormEvent, type ReactElement, useId, useState } from "react";
import { isApiError } from "../api/apiError";
import { channelNameProblem, maxTopicLength } from "../channelName";
import { channelPath } from "../route";
import { navigate } from "../router";
import { useStore } from "./context";
import { ChannelNameField } from "./ChannelNameField";
import { DialogFooter } from "./DialogFooter";
import { Modal } from "./Modal";

export function CreateChannelDialog({ onClose }: { onClose(): void }): ReactElement {
  const store = useStore();
  const [name, setName] = useState("");
  const [topic, setTopic] = useState("");
  const [isPrivate, setPrivate] = useState(false);
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = useId();

  const problem = channelNameProblem(name);
  const showProblem = touched && problem;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (problem || busy) return;
    setBusy(true);
    setServerError(undefined);
    try {
      const channelId = await store.writes.createChannel({ name, topic: topic.trim(), private: isPrivate });
      onClose();
      navigate(channelPath(channelId));
    } catch (error) {
      setServerError(isApiError(error) ? error.message : "The channel could not be created. Try again.");
      setBusy(false);
    }
  }

  return (
    <Modal title="Create a channel" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog-lead">Channels are where conversations happen around a topic.</p>
        <ChannelNameField
          id={`${ids}-name`}
          value={name}
          problem={showProblem ? problem : undefined}
          placeholder="e.g. plan-budget"
          onChange={(slug, typed) => {
            setName(slug);
            setServerError(undefined);
            if (typed) setTouched(true);
          }}
        />
        <label htmlFor={`${ids}-topic`}>Topic</label>
        <input
          id={`${ids}-topic`}
          value={topic}
          onChange={(e) => setTopic(e.target.value)}
          maxLength={maxTopicLength}
          placeholder="What is this channel about? (optional)"
        />
        <label className="checkbox">
          <input type="checkbox" checked={isPrivate} onChange={(e) => setPrivate(e.target.checked)} aria-describedby={`${ids}-private-help`} />
          <span>Private</span>
        </label>
        <p id={`${ids}-private-help`} className="hint checkbox-hint">
          Only people added by a member can see and join it.
        </p>
        {serverError && (
          <p className="form-error" role="alert">
            {serverError}
          </p>
        )}
        <DialogFooter submit="Create" busy={busy} onCancel={onClose} />
      </form>
    </Modal>
  );
}
