/** Cognito PostConfirmation trigger: the trusted path that emits `user_registered`. */
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { awsAdapters } from "../adapters/wiring";
import { registerUser } from "../usecases/registerUser";

export async function handler(event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> {
  const { sub, name, email } = event.request.userAttributes;
  if (!sub) throw new Error("PostConfirmation event without the user's sub.");
  await registerUser(sub, name || email?.split("@")[0] || "", awsAdapters());
  return event;
}
