/**
 * A person's display name (Cognito's `name` attribute, recorded in `user_registered`):
 * trimmed, then 1–80 characters. The sign-up form checks it before asking Cognito; the
 * PreSignUp trigger (functions/autoconfirm) checks it again, and Cognito hands its refusal
 * back to the form. Plain sentences: they are shown to the person as they are.
 */
export const maxDisplayNameLength = 80;

/**
 * Characters a name may not hold: control characters, and the invisible ones that make a
 * name look like another (zero-width spaces, direction overrides). Joiners stay: emoji
 * sequences need them.
 */
export const hiddenCharacters = /[\p{Cc}\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff]/u;

export function displayNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed.length === 0) return "Enter your name: it can't be only spaces.";
  if ([...trimmed].length > maxDisplayNameLength) return `Your name can be at most ${maxDisplayNameLength} characters.`;
  if (hiddenCharacters.test(trimmed)) return "Your name can't hold control characters or invisible ones.";
  return undefined;
}
