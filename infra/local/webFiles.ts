/**
 * The web origin's own files: GET /config.json (CONTRACT §1, built from the request's Host
 * so it works under localhost, 127.0.0.1 or a LAN name), the built app from web/dist, and,
 * before the app is built, a page that says so.
 */
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { contentTypeOf } from "../contentTypes";
import { resources } from "./context";
import { sendJson } from "./httpJson";

export interface WebConfigInput {
  userPoolId: string;
  clientId: string;
  cognitoUrl: string;
  /** Used when the request's Host header is missing or not a plain host[:port]. */
  fallbackHost: string;
}

export function sendConfig(req: IncomingMessage, res: ServerResponse, input: WebConfigInput): void {
  const host = /^[A-Za-z0-9.\-[\]:]+$/.test(req.headers.host ?? "") ? req.headers.host! : input.fallbackHost;
  sendJson(
    res,
    200,
    {
      apiUrl: `http://${host}/api`,
      wsUrl: `ws://${host}/ws`,
      auth: { region: resources.region, userPoolId: input.userPoolId, clientId: input.clientId, endpoint: input.cognitoUrl },
    },
    { "cache-control": "no-store" },
  );
}

/** Serves a file of `root`, or index.html for an app route (an HTML GET without a file extension). False if neither applies. */
export async function sendWebFile(req: IncomingMessage, res: ServerResponse, root: string): Promise<boolean> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? "/", "http://web").pathname);
  } catch {
    return false;
  }
  const file = path.resolve(root, `.${pathname}`);
  if (file !== root && !file.startsWith(root + path.sep)) return false;
  const appRoute = path.extname(pathname) === "" && (req.headers.accept ?? "").includes("text/html");
  for (const candidate of appRoute || pathname === "/" ? [file, path.join(root, "index.html")] : [file]) {
    if (await isFile(candidate)) {
      const body = await readFile(candidate);
      res.writeHead(200, {
        "content-type": contentTypeOf(candidate),
        "content-length": body.length,
        "cache-control": "no-cache",
      });
      res.end(req.method === "HEAD" ? undefined : body);
      return true;
    }
  }
  return false;
}

export async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

export function sendNotBuilt(res: ServerResponse): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chat sandbox</title></head>
<body><h1>The web app is not built yet</h1>
<p>The API is running. Build the web app (it is served from <code>web/dist</code>) and reload.</p>
<p>Discovery document: <a href="/config.json">/config.json</a></p></body></html>
`;
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(html) });
  res.end(res.req.method === "HEAD" ? undefined : html);
}
