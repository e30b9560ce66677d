/**
 * Confirmation codes in the sandbox's Cognito, for when sign-ups are not confirmed at once
 * (`autoConfirmSignUps: false`, as on a stack without the PreSignUp trigger):
 *
 * - the "email" carrying a code goes to the sandbox's log, for an account not confirmed
 *   yet only (the codes of confirmed accounts stay unsent, as cognito-local's console
 *   sender at error level left them);
 * - `ResendConfirmationCode`, which cognito-local 5.3 does not implement: a new code saved
 *   on the account (the one `ConfirmSignUp` checks) and delivered as SignUp's was. An
 *   unknown account and a confirmed one are refused as Cognito refuses them.
 */
import type { Route } from "cognito-local/lib/server/Router";
import type { Services } from "cognito-local/lib/services";
import type { MessageSender } from "cognito-local/lib/services/messageDelivery/messageSender";
import type { Log } from "./context";

export const confirmationCodeLine = (destination: string, code: string) => `cognito: confirmation code for ${destination}: ${code}`;

/** What a test reads back from the log: the last code sent to `email`. */
export function lastConfirmationCode(lines: readonly string[], email: string): string | undefined {
  const prefix = `cognito: confirmation code for ${email}: `;
  return lines.filter((line) => line.startsWith(prefix)).pop()?.slice(prefix.length);
}

export function loggingSender(log: Log): MessageSender {
  const send: MessageSender["sendEmail"] = async (_ctx, user, destination, message) => {
    if (user.UserStatus === "UNCONFIRMED" && message.__code) log("info", confirmationCodeLine(destination, message.__code));
  };
  return { sendEmail: send, sendSms: send };
}

interface ResendRequest {
  ClientId: string;
  Username: string;
  ClientMetadata?: Record<string, string>;
}

export function resendConfirmationCode(services: Services, errors: typeof import("cognito-local/lib/errors")): Route {
  return async (ctx, req: ResendRequest) => {
    const userPool = await services.cognito.getUserPoolForClientId(ctx, req.ClientId);
    const user = await userPool.getUserByUsername(ctx, req.Username);
    if (!user) throw new errors.UserNotFoundError();
    if (user.UserStatus !== "UNCONFIRMED") throw new errors.InvalidParameterError("User is already confirmed.");
    const email = user.Attributes.find((a) => a.Name === "email")?.Value;
    if (!email) throw new errors.InvalidParameterError("User has no email to send a code to.");
    const details = { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: email } as const;
    const code = services.otp();
    await userPool.saveUser(ctx, { ...user, ConfirmationCode: code, UserLastModifiedDate: services.clock.get() });
    await services.messages.deliver(ctx, "ResendCode", req.ClientId, userPool.options.Id, { ...user, ConfirmationCode: code }, code, req.ClientMetadata, details);
    return { CodeDeliveryDetails: details };
  };
}
