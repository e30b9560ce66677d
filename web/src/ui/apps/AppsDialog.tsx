/**
 * "Apps" (CONTRACT §13): create an app (textbox "App name", "Create app"), whose token is
 * shown once, in the read-only textbox "Token" with "Copy token"; the list "Your apps", each
 * with its webhooks, "Add webhook" (a channel we are in, then its URL, shown once, and a
 * `curl` line with it) and "Revoke" (after asking). The server's refusals are shown in
 * plain words where they happened.
 */
import { type FormEvent, type ReactElement, useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { maxDisplayNameLength } from "../../../../functions/domain/user/displayName";
import { type AppSummary, type CreatedApp, describeAppError, webhookChannels } from "../../state/apps";
import { useChat } from "../context";
import { ConfirmDialog } from "../ConfirmDialog";
import { Modal } from "../Modal";
import { AppItem } from "./AppItem";
import { useAppsApi } from "./context";
import { CopyField } from "./CopyField";

export function AppsDialog({ onClose }: { onClose(): void }): ReactElement {
  const api = useAppsApi();
  const timelines = useChat((s) => s.timelines);
  const me = useChat((s) => s.me);
  const channels = useMemo(() => webhookChannels(timelines, me.userId), [timelines, me.userId]);
  const [apps, setApps] = useState<AppSummary[]>();
  const [listError, setListError] = useState<string>();
  const [name, setName] = useState("");
  const [createError, setCreateError] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApp>();
  const [revoking, setRevoking] = useState<AppSummary>();
  const [revokeError, setRevokeError] = useState<string>();
  const ids = useId();
  const tokenSection = useRef<HTMLElement>(null);

  const load = useCallback(async () => {
    setListError(undefined);
    try {
      setApps(await api.list());
    } catch (error) {
      setListError(describeAppError(error, "read your apps"));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    if (created) tokenSection.current?.querySelector("input")?.focus();
  }, [created]);

  async function create(event: FormEvent) {
    event.preventDefault();
    if (creating) return;
    if (!name.trim()) return setCreateError("Give the app a name: people see it beside its messages.");
    setCreating(true);
    setCreateError(undefined);
    try {
      const app = await api.create(name.trim());
      setCreated(app);
      setName("");
      setApps((list) => [...(list ?? []), { appId: app.appId, name: app.name, botUserId: app.botUserId, createdAt: new Date().toISOString(), webhooks: [] }]);
    } catch (error) {
      setCreateError(describeAppError(error, "create the app"));
    } finally {
      setCreating(false);
    }
  }

  async function revoke(app: AppSummary) {
    setRevoking(undefined);
    setRevokeError(undefined);
    try {
      await api.revoke(app.appId);
      setApps((list) => list?.filter((a) => a.appId !== app.appId));
      if (created?.appId === app.appId) setCreated(undefined);
    } catch (error) {
      setRevokeError(`${app.name}: ${describeAppError(error, "revoke the app")}`);
    }
  }

  return (
    <Modal title="Apps" onClose={onClose} className="apps">
      <p className="dialog-lead">
        An app posts into channels from your tools: with its token through the Slack Web API, or through an incoming webhook. Its messages are marked APP.
      </p>
      <form className="create-app" onSubmit={create} noValidate>
        <label htmlFor={`${ids}-name`}>App name</label>
        <div className="create-app-row">
          <input
            id={`${ids}-name`}
            value={name}
            maxLength={maxDisplayNameLength}
            placeholder="e.g. Deploy Bot"
            autoComplete="off"
            data-autofocus
            aria-invalid={createError ? true : undefined}
            aria-describedby={createError ? `${ids}-create-error` : undefined}
            onChange={(e) => {
              setName(e.target.value);
              setCreateError(undefined);
            }}
          />
          <button type="submit" className="primary small" aria-busy={creating}>
            Create app
          </button>
        </div>
        {createError && (
          <p id={`${ids}-create-error`} className="form-error" role="alert">
            {createError}
          </p>
        )}
      </form>
      {created && (
        <section ref={tokenSection} className="secret-box" aria-labelledby={`${ids}-token-title`}>
          <h3 id={`${ids}-token-title`}>Token of {created.name}</h3>
          <CopyField id={`${ids}-token`} label="Token" value={created.token} copyLabel="Copy token" />
          <p className="secret-note">
            <strong>Copy it now: it will not be shown again.</strong> Anyone who has it can read and post as {created.name} in the channels it is in. Lost it? Revoke the app and create another.
          </p>
          <button type="button" className="secondary small" onClick={() => setCreated(undefined)}>
            I have copied it
          </button>
        </section>
      )}
      <h3 className="apps-heading" id={`${ids}-apps-title`}>
        Your apps
      </h3>
      {listError ? (
        <div className="retry-alert">
          <p role="alert">{listError}</p>
          <button type="button" className="secondary small" onClick={() => void load()}>
            Retry
          </button>
        </div>
      ) : !apps ? (
        <p className="hint" role="status">
          Loading your apps…
        </p>
      ) : apps.length === 0 ? (
        <p className="hint">No apps yet. Create one above.</p>
      ) : null}
      {revokeError && (
        <p className="form-error" role="alert">
          {revokeError}
        </p>
      )}
      {apps && apps.length > 0 && (
        <ul className="app-list" aria-labelledby={`${ids}-apps-title`}>
          {apps.map((app) => (
            <AppItem
              key={app.appId}
              app={app}
              channels={channels}
              onRevoke={() => setRevoking(app)}
              onWebhookAdded={(webhook) =>
                setApps((list) => list?.map((a) => (a.appId === app.appId ? { ...a, webhooks: [...a.webhooks, webhook] } : a)))
              }
            />
          ))}
        </ul>
      )}
      {revoking && (
        <ConfirmDialog title={`Revoke ${revoking.name}`} confirmLabel="Revoke" onConfirm={() => void revoke(revoking)} onCancel={() => setRevoking(undefined)}>
          Revoke {revoking.name}? Its token stops working and {revoking.webhooks.length === 1 ? "its webhook stops" : `its ${revoking.webhooks.length} webhooks stop`} posting within
          seconds. This cannot be undone.
        </ConfirmDialog>
      )}
    </Modal>
  );
}
