/** Settings from the environment, failing loudly when absent. */
export type SettingName =
  | "EVENTS_TABLE"
  | "VIEWS_BUCKET"
  | "EVENT_BUS_NAME"
  | "PROJECTION"
  | "USER_POOL_ID"
  | "USER_POOL_CLIENT_ID"
  | "CONNECTIONS_TABLE"
  | "WS_ENDPOINT";

export function setting(name: SettingName): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing setting ${name}: set it in the function's environment.`);
  return value;
}
