/** A coloured square with someone's initials, the colour fixed by their user id. */
import type { ReactElement } from "react";

const colours = ["#e8912d", "#2eb67d", "#36c5f0", "#e01e5a", "#1264a3", "#9b59b6", "#d35400", "#16a085", "#c0392b", "#5b6abf"];

function colourOf(userId: string): string {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return colours[Math.abs(hash) % colours.length]!;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [...(parts[0] ?? "?")].slice(0, 1);
  return letters.join("").toUpperCase();
}

export function Avatar({ userId, name, size = 36 }: { userId: string; name: string; size?: number }): ReactElement {
  return (
    <span className="avatar" aria-hidden="true" style={{ background: colourOf(userId), width: size, height: size, fontSize: size * 0.4 }}>
      {initials(name)}
    </span>
  );
}
