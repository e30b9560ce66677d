/**
 * The words of a text as search sees them (CONTRACT §12): case- and accent-insensitive,
 * split as `Intl.Segmenter` splits words, which splits Chinese and Japanese by its
 * dictionaries. Accents are stripped only from letters of alphabets (Latin, Greek,
 * Cyrillic): in kana the marks make different letters (て and で), so they stay.
 */
const segmenter = new Intl.Segmenter("en", { granularity: "word" });
const alphabetMarks = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Folds case, accents and compatibility forms (full-width letters): `Ｄéploy` → `deploy`. */
export function normalize(text: string): string {
  return text.normalize("NFKD").replace(alphabetMarks, "$1").normalize("NFC").toLowerCase();
}

/**
 * Text handed to `Intl.Segmenter` at once. V8's segmenter slows superlinearly with the text,
 * and past 65,536 UTF-16 units of a two-byte text falls off a cliff (72,000 characters: over
 * 40 s, against 0.5 s for 63,000); NFKD makes 18 characters of one (U+FDFA), so a 12 KB
 * message got there. Pieces end at a space, where a word always ends.
 */
const pieceLength = 8192;

/** The normalized words of `text`, in order (punctuation and spaces dropped). */
export function words(text: string): string[] {
  const found: string[] = [];
  const all = normalize(text);
  for (let start = 0; start < all.length; ) {
    let end = Math.min(all.length, start + pieceLength);
    if (end < all.length) {
      const space = all.lastIndexOf(" ", end);
      if (space > start) end = space + 1;
      else if (/[\uD800-\uDBFF]/.test(all[end - 1] ?? "")) end--; // no space: at least keep a character whole
    }
    for (const s of segmenter.segment(all.slice(start, end))) if (s.isWordLike) found.push(s.segment);
    start = end;
  }
  return found;
}

/** Whether a (normalized) word is written in Chinese, Japanese or Korean script. */
export const isCjk = (word: string) => cjk.test(word);
