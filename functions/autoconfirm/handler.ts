/**
 * Cognito PreSignUp trigger: refuses a display name that is blank or too long (the error's
 * message reaches the sign-up form as `UserLambdaValidationException`), and confirms new
 * accounts at once. The sandbox always uses it (no code to read from a log); a stack uses
 * it only when configured to skip email checks.
 */
import type { PreSignUpTriggerEvent } from "aws-lambda";
import { displayNameProblem } from "../domain/user/displayName";

export async function handler(event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> {
  const problem = displayNameProblem(event.request.userAttributes.name ?? "");
  if (problem) throw new Error(problem);
  event.response.autoConfirmUser = true;
  if (event.request.userAttributes.email) event.response.autoVerifyEmail = true;
  return event;
}
