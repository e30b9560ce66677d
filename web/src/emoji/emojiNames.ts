/**
 * Emoji by Slack's names (`thumbsup`, `+1`, `tada`): iamcal's emoji-data names, which Slack
 * uses, as the `emojibase-data` package ships them (hexcode → names). Only that one file of
 * the package is bundled (about 48 KB); the glyph is made from the hexcode.
 */
import iamcal from "emojibase-data/en/shortcodes/iamcal.json";

export interface EmojiName {
  name: string;
  glyph: string;
}

/** What the picker offers first, before any search: the reactions people reach for most. */
export const favourites = ["thumbsup", "+1", "heart", "joy", "tada", "eyes", "raised_hands", "pray", "white_check_mark", "fire", "rocket", "100", "thinking_face", "clap", "smile", "-1"];

/** U+FE0F asks for the emoji presentation of a character that is text by default (❤ → ❤️, # ⃣ → #️⃣). */
function glyphOf(hexcode: string): string {
  const points = hexcode.split("-").map((h) => Number.parseInt(h, 16));
  const first = String.fromCodePoint(points[0]!);
  const rest = points.slice(1);
  const needsSelector = !/\p{Emoji_Presentation}/u.test(first) && rest[0] !== 0xfe0f;
  return String.fromCodePoint(points[0]!, ...(needsSelector ? [0xfe0f] : []), ...rest);
}

function build(): { all: EmojiName[]; byName: Map<string, EmojiName> } {
  const all: EmojiName[] = [];
  for (const [hexcode, names] of Object.entries(iamcal as Record<string, string | string[]>)) {
    const glyph = glyphOf(hexcode);
    for (const name of typeof names === "string" ? [names] : names) {
      if (!name.startsWith("skin-tone-")) all.push({ name, glyph });
    }
  }
  const byName = new Map(all.map((e) => [e.name, e]));
  const first = favourites.flatMap((name) => byName.get(name) ?? []);
  const firstNames = new Set(first.map((e) => e.name));
  return { all: [...first, ...all.filter((e) => !firstNames.has(e.name))], byName };
}

let table: ReturnType<typeof build> | undefined;
const data = () => (table ??= build());

/** The glyph of an emoji name, or undefined for a name the data does not know (a custom emoji, say). */
export const emojiGlyph = (name: string): string | undefined => data().byName.get(name)?.glyph;

/**
 * The emoji whose name holds every word of the query (spaces, `_`, `-` and colons separate
 * words): the one so named first, then names starting with the first word, then the rest,
 * each in the list's order (favourites first); `limit` at most.
 */
export function searchEmoji(query: string, limit = Number.POSITIVE_INFINITY): EmojiName[] {
  const { all, byName } = data();
  const exact = byName.get(query.trim().toLowerCase().replace(/^:|:$/g, ""));
  const words = query.toLowerCase().replace(/:/g, " ").split(/[\s_-]+/).filter(Boolean);
  if (words.length === 0) return all.slice(0, limit);
  const matches = all.filter((e) => e !== exact && words.every((w) => e.name.includes(w)));
  const starts = matches.filter((e) => e.name.startsWith(words[0]!));
  const startSet = new Set(starts);
  return [...(exact ? [exact] : []), ...starts, ...matches.filter((e) => !startSet.has(e))].slice(0, limit);
}
