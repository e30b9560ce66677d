/** Signs a new person up on the sandbox's Cognito and in with USER_PASSWORD_AUTH, as the web app does. */
import { randomUUID } from "node:crypto";
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Sandbox } from "../../infra/local";

export interface SignedUp {
  email: string;
  password: string;
  userSub: string;
  confirmed: boolean;
  idToken: string;
}

export function cognitoClient(sandbox: Pick<Sandbox, "urls">): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: sandbox.urls.cognito,
    region: "us-east-1",
    credentials: { accessKeyId: "any", secretAccessKey: "any" },
  });
}

export async function signIn(sandbox: Pick<Sandbox, "urls" | "clientId">, email: string, password: string): Promise<string> {
  const client = cognitoClient(sandbox);
  try {
    const auth = await client.send(
      new InitiateAuthCommand({ ClientId: sandbox.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } }),
    );
    const token = auth.AuthenticationResult?.IdToken;
    if (!token) throw new Error("InitiateAuth gave no IdToken");
    return token;
  } finally {
    client.destroy();
  }
}

export async function signUp(sandbox: Pick<Sandbox, "urls" | "clientId">, name: string): Promise<SignedUp> {
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
  const password = "Correct-Horse-9";
  const client = cognitoClient(sandbox);
  try {
    const answer = await client.send(
      new SignUpCommand({ ClientId: sandbox.clientId, Username: email, Password: password, UserAttributes: [{ Name: "name", Value: name }] }),
    );
    const idToken = await signIn(sandbox, email, password);
    return { email, password, userSub: answer.UserSub!, confirmed: answer.UserConfirmed ?? false, idToken };
  } finally {
    client.destroy();
  }
}

export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}
