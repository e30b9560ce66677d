/** Signed out: the sign-in and sign-up forms. Signed in: the workspace, started afresh for each person. */
import { type ReactElement, useSyncExternalStore } from "react";
import type { Session } from "../auth/session";
import type { AppConfig } from "../config";
import { AuthScreen } from "./AuthScreen";
import { Workspace } from "./Workspace";

export function App({ config, session }: { config: AppConfig; session: Session }): ReactElement {
  const user = useSyncExternalStore(session.subscribe, () => session.user);
  if (!user) return <AuthScreen session={session} />;
  return <Workspace key={user.userId} config={config} session={session} user={user} />;
}
