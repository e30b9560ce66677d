/**
 * Opaque paging cursors (`response_metadata.next_cursor`): a small JSON object in base64url,
 * checked field by field when it comes back, so a forged or stale one is refused
 * (`invalid_cursor`), never trusted.
 */

export function encodeCursor(fields: Record<string, number>): string {
  return Buffer.from(JSON.stringify(fields), "utf8").toString("base64url");
}

/** The cursor's whole-number fields, each in [0, MAX_SAFE_INTEGER]; undefined if it is not one of ours with exactly these. */
export function decodeCursor<K extends string>(cursor: string, names: readonly K[]): Record<K, number> | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const fields = parsed as Record<string, unknown>;
  if (Object.keys(fields).sort().join() !== [...names].sort().join()) return undefined;
  const valid = names.every((n) => Number.isSafeInteger(fields[n]) && (fields[n] as number) >= 0);
  return valid ? (fields as Record<K, number>) : undefined;
}
