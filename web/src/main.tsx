/** Boots the app: reads /config.json, restores the session, renders. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { CognitoClient } from "./auth/cognito";
import { Session } from "./auth/session";
import { loadConfig } from "./config";
import { realTimers } from "./state/timers";
import { App } from "./ui/App";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);

loadConfig().then(
  (config) => {
    const session = new Session({ clientId: config.auth.clientId, cognito: new CognitoClient(config.auth), storage: localStorage, timers: realTimers });
    // Another tab signed in, out, or refreshed the tokens.
    window.addEventListener("storage", (event) => {
      if (event.key === null || event.key === "chat.session") session.reload();
    });
    root.render(
      <StrictMode>
        <App config={config} session={session} />
      </StrictMode>,
    );
  },
  (error: unknown) => {
    root.render(
      <main className="boot-error">
        <h1>The chat could not start</h1>
        <p>{error instanceof Error ? error.message : String(error)}</p>
        <button type="button" onClick={() => location.reload()}>
          Try again
        </button>
      </main>,
    );
  },
);
