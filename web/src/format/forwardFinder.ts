/**
 * The next occurrence of `needle` at or after a position, for scans whose positions only
 * grow: each part of the text is searched once, however many times it is asked, so a
 * parser asking at every line or marker stays linear in the text's length.
 */
export function forwardFinder(text: string, needle: string): (from: number) => number {
  let found = -1;
  let none = false;
  return (from) => {
    if (none) return text.length;
    if (found >= from) return found;
    found = text.indexOf(needle, from);
    if (found < 0) none = true;
    return none ? text.length : found;
  };
}
