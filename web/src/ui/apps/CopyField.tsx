/** A read-only textbox holding a secret to copy (a token, a webhook's URL) and its "Copy" button, which says when it copied. */
import { type ReactElement, useEffect, useState } from "react";

export function CopyField({ id, label, value, copyLabel, multiline }: { id: string; label: string; value: string; copyLabel: string; multiline?: boolean }): ReactElement {
  const [copied, setCopied] = useState<"yes" | "no">();
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(undefined), 3000);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      // No clipboard (an insecure origin, a refused permission): the text is selected for a manual copy.
      (document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null)?.select();
      setCopied("no");
    }
  }

  const select = (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => event.currentTarget.select();
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        {multiline ? (
          <textarea id={id} readOnly value={value} rows={3} spellCheck={false} onFocus={select} />
        ) : (
          <input id={id} readOnly value={value} spellCheck={false} autoComplete="off" onFocus={select} />
        )}
        <button type="button" className="secondary small" onClick={() => void copy()}>
          {copyLabel}
        </button>
      </div>
      <p className="hint" role="status">
        {copied === "yes" ? "Copied." : copied === "no" ? "Could not copy: the text is selected, copy it with Ctrl+C (⌘C)." : ""}
      </p>
    </div>
  );
}
