/** The discovery document (CONTRACT §1), served next to the app. */
import type { AuthConfig } from "./auth/cognito";

export interface AppConfig {
  apiUrl: string;
  wsUrl: string;
  auth: AuthConfig;
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = (await response.json()) as Partial<AppConfig>;
  if (!config.apiUrl || !config.wsUrl || !config.auth?.clientId) throw new Error("/config.json lacks apiUrl, wsUrl or auth");
  return config as AppConfig;
}
