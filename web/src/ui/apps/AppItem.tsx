/**
 * One of "Your apps": its name, its webhooks (by channel), "Add webhook" (the select
 * "Channel" of the channels we are in, then "Create webhook"; the new webhook's URL shown
 * once in "Webhook URL" with "Copy URL", and a `curl` line that posts to it) and "Revoke".
 */
import { type FormEvent, type ReactElement, useEffect, useId, useRef, useState } from "react";
import { type AppSummary, type CreatedWebhook, curlExample, describeAppError, type WebhookChannel, type WebhookEntry } from "../../state/apps";
import { formatFull } from "../format";
import { useAppsApi } from "./context";
import { CopyField } from "./CopyField";

export interface AppItemProps {
  app: AppSummary;
  /** The channels we are in: where a webhook may post. */
  channels: readonly WebhookChannel[];
  onRevoke(): void;
  onWebhookAdded(webhook: WebhookEntry): void;
}

export function AppItem({ app, channels, onRevoke, onWebhookAdded }: AppItemProps): ReactElement {
  const api = useAppsApi();
  const [adding, setAdding] = useState(false);
  const [channelId, setChannelId] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<CreatedWebhook>();
  const ids = useId();
  const select = useRef<HTMLSelectElement>(null);
  const urlBox = useRef<HTMLDivElement>(null);
  const nameOf = (id: string) => channels.find((c) => c.channelId === id)?.name;

  useEffect(() => {
    if (adding) select.current?.focus();
  }, [adding]);
  useEffect(() => {
    if (created) urlBox.current?.querySelector("input")?.focus();
  }, [created]);

  async function addWebhook(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!channelId) return setError("Choose the channel the webhook posts to.");
    setBusy(true);
    setError(undefined);
    try {
      const webhook = await api.addWebhook(app.appId, channelId);
      setCreated(webhook);
      setAdding(false);
      setChannelId("");
      onWebhookAdded({ webhookId: webhook.webhookId, channelId: webhook.channelId, createdAt: new Date().toISOString() });
    } catch (failure) {
      setError(describeAppError(failure, "add the webhook"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="app-item" aria-labelledby={`${ids}-name`}>
      <div className="app-item-head">
        <div className="app-item-title">
          <span id={`${ids}-name`} className="app-name">
            {app.name}
          </span>{" "}
          <span className="app-badge" aria-hidden="true">
            APP
          </span>
          <p className="hint">Created {formatFull(app.createdAt)}</p>
        </div>
        <div className="app-item-actions">
          <button
            type="button"
            className="secondary small"
            aria-label={`Add webhook to ${app.name}`}
            aria-expanded={adding}
            onClick={() => {
              setAdding((a) => !a);
              setError(undefined);
            }}
          >
            Add webhook
          </button>
          <button type="button" className="secondary small is-danger" aria-label={`Revoke ${app.name}`} aria-haspopup="dialog" onClick={onRevoke}>
            Revoke
          </button>
        </div>
      </div>
      {app.webhooks.length > 0 ? (
        <ul className="webhook-list" aria-label={`Webhooks of ${app.name}`}>
          {app.webhooks.map((w) => {
            const name = nameOf(w.channelId);
            return (
              <li key={w.webhookId}>
                Posts to {name ? `#${name}` : "a channel you are not in"} <span className="hint">· since {formatFull(w.createdAt)}</span>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="hint">No webhooks yet.</p>
      )}
      {adding && (
        <form className="add-webhook" onSubmit={addWebhook} noValidate>
          {channels.length === 0 ? (
            <p className="hint">You are in no channel yet: join or create one, then add its webhook here.</p>
          ) : (
            <>
              <label htmlFor={`${ids}-channel`}>Channel</label>
              <div className="create-app-row">
                <select
                  id={`${ids}-channel`}
                  ref={select}
                  value={channelId}
                  onChange={(e) => {
                    setChannelId(e.target.value);
                    setError(undefined);
                  }}
                >
                  <option value="">Choose a channel…</option>
                  {channels.map((c) => (
                    <option key={c.channelId} value={c.channelId}>
                      {`${c.private ? "🔒 " : "#"}${c.name}`}
                    </option>
                  ))}
                </select>
                <button type="submit" className="primary small" aria-busy={busy}>
                  Create webhook
                </button>
              </div>
              <p className="hint">{app.name} joins the channel, and posts there what is sent to the webhook's URL.</p>
            </>
          )}
        </form>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {created && (
        <div ref={urlBox} className="secret-box">
          <CopyField id={`${ids}-url`} label="Webhook URL" value={created.url} copyLabel="Copy URL" />
          <CopyField id={`${ids}-curl`} label="curl example" value={curlExample(created.url)} copyLabel="Copy curl command" multiline />
          <p className="secret-note">
            <strong>Copy the URL now: it will not be shown again.</strong> Anyone who has it can post in {nameOf(created.channelId) ? `#${nameOf(created.channelId)}` : "the channel"} as{" "}
            {app.name}. Slack's webhook payload works: {"{"}"text": "…"{"}"}, with *bold*, _italic_ and links.
          </p>
          <button type="button" className="secondary small" onClick={() => setCreated(undefined)}>
            I have copied it
          </button>
        </div>
      )}
    </li>
  );
}
