/**
 * Who is signed in, kept in the browser's storage so a reload (or another tab) stays signed
 * in. `token()` always gives an ID token valid for at least another minute, refreshing it
 * with the refresh token when needed (one refresh at a time); a refresh refused by Cognito
 * ends the session. A timer also refreshes a few minutes before expiry, so an idle tab
 * holds a fresh token for its next reconnect.
 */
import type { Timers, TimerHandle } from "../state/timers";
import { CognitoError, type CognitoClient, type Tokens } from "./cognito";
import { claimsOf } from "./jwt";

export interface SessionUser {
  userId: string;
  email: string;
  name: string;
}

export interface StoredSession extends Tokens {
  clientId: string;
  /** ms since the epoch, from the ID token's `exp`. */
  expiresAt: number;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const sessionKey = "chat.session";
const refreshBeforeMs = 5 * 60_000;
const minimumLifeMs = 60_000;

type Cognito = Pick<CognitoClient, "signIn" | "signUp" | "confirmSignUp" | "resendConfirmationCode" | "refresh" | "revoke">;

export class Session {
  private data: StoredSession | undefined;
  private refreshing: Promise<string> | undefined;
  private timer: TimerHandle | undefined;
  private who: { token: string; user: SessionUser } | undefined;
  private readonly listeners = new Set<() => void>();
  /** Why the last session ended when it was not the person's choice. */
  endedBecause: string | undefined;

  constructor(
    private readonly deps: { clientId: string; cognito: Cognito; storage: KeyValueStorage; timers: Timers },
  ) {
    this.reload();
  }

  /** The signed-in person (the same object until they change), from the ID token's claims. */
  get user(): SessionUser | undefined {
    if (!this.data) return (this.who = undefined);
    if (this.who?.token !== this.data.idToken) {
      const claims = claimsOf(this.data.idToken);
      const user = { userId: claims.sub, email: claims.email ?? "", name: claims.name ?? claims.email ?? "" };
      this.who = { token: this.data.idToken, user: this.who?.user.userId === user.userId && this.who.user.name === user.name ? this.who.user : user };
    }
    return this.who.user;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Re-reads the storage (another tab signed in, refreshed or signed out). */
  reload(): void {
    const raw = this.deps.storage.getItem(sessionKey);
    let stored: StoredSession | undefined;
    try {
      stored = raw ? (JSON.parse(raw) as StoredSession) : undefined;
      if (stored) claimsOf(stored.idToken);
    } catch {
      stored = undefined;
    }
    const usable = stored && stored.clientId === this.deps.clientId && stored.refreshToken ? stored : undefined;
    if (usable?.idToken === this.data?.idToken) return;
    this.data = usable;
    this.schedule();
    this.emit();
  }

  async signIn(email: string, password: string): Promise<void> {
    this.store(await this.deps.cognito.signIn(email.trim(), password));
  }

  /** Signs up, then in; false when the account must first be confirmed with an emailed code. */
  async signUp(email: string, name: string, password: string): Promise<boolean> {
    const { confirmed } = await this.deps.cognito.signUp(email.trim(), name.trim(), password);
    if (confirmed) await this.signIn(email, password);
    return confirmed;
  }

  /** Confirms a new account with the emailed code, then signs in with the password just typed. */
  async confirm(email: string, code: string, password: string): Promise<void> {
    await this.deps.cognito.confirmSignUp(email.trim(), code.trim());
    await this.signIn(email, password);
  }

  /** Mails a new confirmation code (the last one expired, or never came). */
  async resendCode(email: string): Promise<void> {
    await this.deps.cognito.resendConfirmationCode(email.trim());
  }

  signOut(reason?: string): void {
    const refreshToken = this.data?.refreshToken;
    this.endedBecause = reason;
    this.data = undefined;
    this.deps.storage.removeItem(sessionKey);
    this.schedule();
    this.emit();
    if (refreshToken) this.deps.cognito.revoke(refreshToken).catch(() => undefined);
  }

  /** An ID token valid for at least another minute. */
  async token(): Promise<string> {
    const data = this.data;
    if (!data) throw new CognitoError("NotAuthorizedException", "Not signed in.");
    if (data.expiresAt - this.deps.timers.now() > minimumLifeMs) return data.idToken;
    return this.refresh();
  }

  /** A new ID token now (the API refused the one we had). */
  refresh(): Promise<string> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<string> {
    const data = this.data;
    if (!data) throw new CognitoError("NotAuthorizedException", "Not signed in.");
    try {
      const tokens = await this.deps.cognito.refresh(data.refreshToken);
      if (this.data !== data) return this.token();
      return this.store(tokens);
    } catch (error) {
      const refused = error instanceof CognitoError && error.type === "NotAuthorizedException";
      if (refused && this.data === data) this.signOut("Your session has ended. Please sign in again.");
      throw error;
    }
  }

  private store(tokens: Tokens): string {
    const expiresAt = claimsOf(tokens.idToken).exp * 1000;
    this.data = { ...tokens, clientId: this.deps.clientId, expiresAt };
    this.endedBecause = undefined;
    this.deps.storage.setItem(sessionKey, JSON.stringify(this.data));
    this.schedule();
    this.emit();
    return tokens.idToken;
  }

  private schedule(): void {
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.data) return;
    const delay = Math.max(0, this.data.expiresAt - refreshBeforeMs - this.deps.timers.now());
    this.timer = this.deps.timers.setTimeout(() => void this.refresh().catch(() => undefined), delay);
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
