/**
 * The Lambda functions cognito-local's triggers call, by the names its TriggerFunctions
 * config uses: the project's own autoconfirm and registration handlers, plus one of the
 * sandbox's that makes ID tokens carry the standard attributes Cognito puts in them
 * (cognito-local adds only sub, email and custom attributes; Cognito adds `name` too).
 */
import type { PreTokenGenerationTriggerEvent } from "aws-lambda";
import type { SandboxContext } from "./context";
import type { LambdaFunction } from "./lambda";
import { invokeLambda } from "./lambdaRuntime";

export const triggerFunctions = {
  PreSignUp: "autoconfirm",
  PostConfirmation: "registration",
  PreTokenGeneration: "sandbox-standard-claims",
} as const;

const standardClaims = [
  "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
  "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "address",
];

export function triggerLambdas(ctx: SandboxContext): Record<string, LambdaFunction> {
  return {
    [triggerFunctions.PreSignUp]: (event) => invokeLambda("autoconfirm", ctx.handlers.autoconfirm, event as never),
    [triggerFunctions.PostConfirmation]: (event) => invokeLambda("registration", ctx.handlers.registration, event as never),
    [triggerFunctions.PreTokenGeneration]: async (event) => addStandardClaims(event as PreTokenGenerationTriggerEvent),
  };
}

export function addStandardClaims(event: PreTokenGenerationTriggerEvent): PreTokenGenerationTriggerEvent {
  const attributes = event.request.userAttributes;
  const claims = Object.fromEntries(standardClaims.filter((name) => attributes[name] !== undefined).map((name) => [name, attributes[name]!]));
  return { ...event, response: { claimsOverrideDetails: { claimsToAddOrOverride: claims } } };
}
