/** Messages put together from parts (ours, the server's, Cognito's) end in exactly one full stop. */
export function asSentence(text: string): string {
  const trimmed = text.trim().replace(/\.{2,}$/, ".");
  if (!trimmed) return trimmed;
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
