/**
 * The web app's build: root `web/`, output `web/dist` (served by the sandbox at `/` and by
 * the stack's site bucket). `npm run dev` serves it with hot reload and forwards the
 * discovery document, the API and the WebSocket to a running sandbox (`npm start`;
 * `SANDBOX_URL` to point elsewhere).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webRoot = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(webRoot, "..");
const sandbox = process.env.SANDBOX_URL ?? "http://localhost:3000";

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: path.join(webRoot, "dist"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
  server: {
    // The app imports the shared folds from functions/domain.
    fs: { allow: [repoRoot] },
    // The Host header is kept, so /config.json names this server: API and socket stay same-origin.
    proxy: {
      "/config.json": { target: sandbox, changeOrigin: false },
      "/api": { target: sandbox, changeOrigin: false },
      "/ws": { target: sandbox.replace(/^http/, "ws"), ws: true, changeOrigin: false },
    },
  },
});
