/** Settings from the environment, read when first needed and failing loudly when absent. */
const cache = new Map<string, string>();

export function setting(name: "EVENTS_TABLE" | "VIEWS_BUCKET" | "EVENT_BUS_NAME" | "PROJECTION" | "USER_POOL_ID"): string {
  const cached = cache.get(name);
  if (cached) return cached;
  const value = process.env[name];
  if (!value) throw new Error(`Missing setting ${name}: set it in the function's environment.`);
  cache.set(name, value);
  return value;
}
