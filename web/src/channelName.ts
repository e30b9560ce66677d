/**
 * The channel name rule of CONTRACT §3, checked as the user types so the dialog can say
 * what is wrong before asking the server (test/web/channelName.test.ts holds it to the
 * server's schema). The server still decides, and its refusal is shown when it differs.
 */
export const maxNameLength = 80;
export const maxTopicLength = 250;

export function channelNameProblem(name: string): string | undefined {
  if (name.length === 0) return "Give the channel a name.";
  if (name.length > maxNameLength) return `Names can be at most ${maxNameLength} characters.`;
  if (!/^[a-z0-9_-]+$/.test(name)) return "Names can only contain lowercase letters, digits, hyphens and underscores.";
  if (!/[a-z0-9]/.test(name)) return "Names need at least one letter or digit.";
  return undefined;
}

/**
 * What someone types as a name, made into one as they type, as Slack does: "My Channel"
 * becomes "my-channel". Only case and spaces are changed; anything else the rule refuses
 * stays, so the dialog can say what is wrong with it rather than drop it silently.
 */
export function slugChannelName(typed: string): string {
  return typed.toLowerCase().replace(/\s+/g, "-");
}
