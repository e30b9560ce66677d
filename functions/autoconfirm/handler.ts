/**
 * Cognito PreSignUp trigger: confirms new accounts at once. The sandbox always uses it (no
 * code to read from a log); a stack uses it only when configured to skip email checks.
 */
import type { PreSignUpTriggerEvent } from "aws-lambda";

export async function handler(event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> {
  event.response.autoConfirmUser = true;
  if (event.request.userAttributes.email) event.response.autoVerifyEmail = true;
  return event;
}
