/**
 * Sign in, sign up (then signed in at once where the pool confirms by itself), and the
 * confirmation code step where a pool emails one: after a sign-up Cognito leaves
 * unconfirmed, and after a sign-in of an account still unconfirmed. The code step signs in
 * with the password just typed, and can have a new code sent. Accessible names per CONTRACT §8.
 */
import { type FormEvent, type ReactElement, useId, useState } from "react";
import { displayNameProblem } from "../../../functions/domain/user/displayName";
import { describeAuthError, needsConfirmation, passwordProblem } from "../auth/authErrors";
import type { Session } from "../auth/session";
import { Icon } from "./icons";

type Mode = "sign-in" | "sign-up" | "confirm";

const headings: Record<Mode, string> = { "sign-in": "Sign in to Chat", "sign-up": "Create your account", confirm: "Confirm your email" };

export function AuthScreen({ session }: { session: Session }): ReactElement {
  const [mode, setMode] = useState<Mode>("sign-in");
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | undefined>(session.endedBecause);
  const [info, setInfo] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const ids = useId();

  const switchTo = (next: Mode, message?: string) => {
    setMode(next);
    setError(undefined);
    setInfo(message);
    if (next === "confirm") setCode("");
  };

  /** Runs one request to Cognito at a time, showing its refusal plainly. */
  async function run(step: Mode, action: () => Promise<void>) {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      if (step === "sign-in" && needsConfirmation(failure)) switchTo("confirm", `This account is not confirmed yet. Enter the code we emailed to ${email}.`);
      else setError(describeAuthError(failure, step));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    // Names are trimmed; a blank one (only spaces) is refused here, before anything is sent.
    const refused = mode === "sign-up" ? (displayNameProblem(name) ?? passwordProblem(password)) : undefined;
    if (refused) return setError(refused);
    void run(mode, async () => {
      if (mode === "sign-in") await session.signIn(email, password);
      else if (mode === "confirm") await session.confirm(email, code, password);
      else if (!(await session.signUp(email, name.trim(), password))) switchTo("confirm", `We emailed a confirmation code to ${email}.`);
    });
  }

  const resend = () =>
    run("confirm", async () => {
      await session.resendCode(email);
      setInfo(`We sent a new code to ${email}.`);
    });

  const signingUp = mode === "sign-up";
  const confirming = mode === "confirm";
  return (
    <main className="auth">
      <div className="auth-card">
        <div className="auth-logo">
          <Icon name="logo" size={28} />
          <span>Chat</span>
        </div>
        <h1>{headings[mode]}</h1>
        <p className="auth-lead">
          {signingUp ? "Talk with your team in channels, in real time." : confirming ? "One step left: the code from your inbox." : "Welcome back. Pick up where you left off."}
        </p>
        <form onSubmit={submit} aria-describedby={error ? `${ids}-error` : undefined} noValidate={false}>
          {!confirming && (
            <>
              <label htmlFor={`${ids}-email`}>Email</label>
              <input id={`${ids}-email`} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
            </>
          )}
          {signingUp && (
            <>
              <label htmlFor={`${ids}-name`}>Name</label>
              <input id={`${ids}-name`} type="text" autoComplete="name" required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
            </>
          )}
          {confirming ? (
            <>
              <label htmlFor={`${ids}-code`}>Confirmation code</label>
              <input
                id={`${ids}-code`}
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                value={code}
                onChange={(e) => setCode(e.target.value.trim())}
                autoFocus
              />
            </>
          ) : (
            <>
              <label htmlFor={`${ids}-password`}>Password</label>
              <input
                id={`${ids}-password`}
                type="password"
                autoComplete={signingUp ? "new-password" : "current-password"}
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                aria-describedby={signingUp ? `${ids}-hint` : undefined}
              />
            </>
          )}
          {signingUp && (
            <p className="hint" id={`${ids}-hint`}>
              At least 8 characters, with a lowercase letter and a digit.
            </p>
          )}
          {error && (
            <p className="form-error" role="alert" id={`${ids}-error`}>
              {error}
            </p>
          )}
          {info && (
            <p className="form-info" role="status">
              {info}
            </p>
          )}
          <button type="submit" className="primary wide" aria-busy={busy}>
            {signingUp ? "Sign up" : confirming ? "Confirm" : "Sign in"}
          </button>
          {confirming && (
            <button type="button" className="link auth-resend" onClick={() => void resend()} disabled={busy}>
              Resend code
            </button>
          )}
        </form>
        <p className="auth-switch">
          {signingUp ? "Already have an account?" : confirming ? "Another account?" : "New here?"}{" "}
          <button type="button" className="link" onClick={() => switchTo(signingUp || confirming ? "sign-in" : "sign-up")}>
            {signingUp || confirming ? "Sign in" : "Sign up"}
          </button>
        </p>
      </div>
    </main>
  );
}
