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

/** The normalized words of `text`, in order (punctuation and spaces dropped). */
export function words(text: string): string[] {
  const found: string[] = [];
  for (const s of segmenter.segment(normalize(text))) if (s.isWordLike) found.push(s.segment);
  return found;
}

/** Whether a (normalized) word is written in Chinese, Japanese or Korean script. */
export const isCjk = (word: string) => cjk.test(word);
