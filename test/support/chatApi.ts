/** A tiny client of the chat's HTTP API and of the sandbox's Cognito, as a browser would use them. */
import { randomUUID } from "node:crypto";
import { CognitoIdentityProviderClient, InitiateAuthCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";

export interface Person {
  email: string;
  name: string;
  token: string;
  userId: string;
}

const password = "Correct-Horse-9";
const cognitoAt = (cognitoUrl: string) =>
  new CognitoIdentityProviderClient({ endpoint: cognitoUrl, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });

export async function signUp(cognitoUrl: string, clientId: string, name: string): Promise<Person> {
  const cognito = cognitoAt(cognitoUrl);
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
  await cognito.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: password, UserAttributes: [{ Name: "name", Value: name }, { Name: "email", Value: email }] }));
  return signIn(cognitoUrl, clientId, email, name);
}

/** Signs an existing account in again (a new token, e.g. after the pool's server moved). */
export async function signIn(cognitoUrl: string, clientId: string, email: string, name: string): Promise<Person> {
  const cognito = cognitoAt(cognitoUrl);
  const auth = await cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } }));
  const token = auth.AuthenticationResult?.IdToken;
  if (!token) throw new Error("no IdToken");
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as { sub: string };
  return { email, name, token, userId: payload.sub };
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export async function post(apiUrl: string, token: string | undefined, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${apiUrl}/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

export async function view(apiUrl: string, token: string, path: string): Promise<Answer> {
  const response = await fetch(`${apiUrl}/views/${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** `PUT {apiUrl}/read-marks/<channelId>` (CONTRACT §14). */
export async function putReadMark(apiUrl: string, token: string | undefined, channelId: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${apiUrl}/read-marks/${channelId}`, {
    method: "PUT",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** `GET {apiUrl}/search?q=…[&cursor=…]` (CONTRACT §12). */
export async function searchFor(apiUrl: string, token: string, q: string, cursor?: string): Promise<Answer> {
  const params = new URLSearchParams({ q, ...(cursor ? { cursor } : {}) });
  const response = await fetch(`${apiUrl}/search?${params}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}
