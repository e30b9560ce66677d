/** Who reacted, in words: "You, Ann and Ben reacted with :tada:" (by display name, the reader as "You"). */
export function reactedBy(userIds: readonly string[], emoji: string, meId: string, nameOf: (userId: string) => string | undefined): string {
  const names = userIds.map((id) => (id === meId ? "You" : nameOf(id) || "Someone"));
  const last = names.pop();
  const who = names.length === 0 ? (last ?? "Nobody") : `${names.join(", ")} and ${last}`;
  return `${who} reacted with :${emoji}:`;
}
