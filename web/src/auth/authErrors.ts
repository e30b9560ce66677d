/**
 * What to tell a person whose sign-in or sign-up was refused. Cognito names the refusal by
 * its exception type; the sandbox's Cognito says `InvalidPasswordException` for a wrong
 * password where AWS says `NotAuthorizedException`, hence the step the error came from.
 */
import { asSentence } from "../sentence";
import { CognitoError } from "./cognito";

export type AuthStep = "sign-in" | "sign-up" | "confirm";

export function describeAuthError(error: unknown, step: AuthStep): string {
  if (!(error instanceof CognitoError)) return "Something went wrong. Please try again.";
  switch (error.type) {
    case "NetworkError":
      return "Can't reach the sign-in service. Check your connection and try again.";
    case "NotAuthorizedException":
    case "UserNotFoundException":
      return step === "sign-in" ? "Incorrect email or password." : asSentence(error.message);
    case "InvalidPasswordException":
      return step === "sign-in" ? "Incorrect email or password." : asSentence(`That password is too weak: ${error.message}`);
    case "UsernameExistsException":
      return "An account with this email already exists. Sign in instead.";
    case "UserNotConfirmedException":
      return "This account is not confirmed yet. Enter the code we emailed you.";
    case "CodeMismatchException":
      return "That code is not right. Check the latest email we sent you and try again.";
    case "ExpiredCodeException":
      return "That code has expired. Send a new one and enter it here.";
    case "TooManyRequestsException":
    case "LimitExceededException":
    case "TooManyFailedAttemptsException":
      return "Too many attempts. Wait a moment and try again.";
    case "InvalidParameterException":
      return asSentence(error.message);
    case "UserLambdaValidationException":
      return asSentence(triggerRefusal(error.message));
    default:
      return asSentence(error.message) || "Something went wrong. Please try again.";
  }
}

/**
 * A trigger's own words (the PreSignUp trigger refusing a name): Cognito wraps them as
 * "PreSignUp failed with error <message>." (the sandbox's Cognito names the function instead).
 */
function triggerRefusal(message: string): string {
  return message.replace(/^\S+ failed with error /, "").replace(/\.\.$/, ".");
}

/** Sign-in refused because the account still has to be confirmed with its emailed code. */
export const needsConfirmation = (error: unknown): boolean => error instanceof CognitoError && error.type === "UserNotConfirmedException";

/**
 * The rules every pool of this app enforces (at least 8 characters, a lowercase letter and a
 * digit), checked before asking Cognito; the pool may ask for more.
 */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 8) return "That password is too weak: use at least 8 characters.";
  if (!/[a-z]/.test(password)) return "That password is too weak: add a lowercase letter.";
  if (!/[0-9]/.test(password)) return "That password is too weak: add a digit.";
  return undefined;
}
