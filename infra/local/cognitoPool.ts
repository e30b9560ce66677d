/**
 * The sandbox's user pool and its web client: created on the first start, their ids kept
 * in <dataDir>/sandbox.json and reused on later starts (so tokens and accounts survive).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { resources } from "./context";
import { sandboxCredentials } from "./env";

export interface PoolIds {
  userPoolId: string;
  clientId: string;
}

export const sandboxFile = (dataDir: string) => path.join(dataDir, "sandbox.json");

export async function ensurePool(endpoint: string, dataDir: string): Promise<PoolIds & { created: boolean }> {
  const client = new CognitoIdentityProviderClient({ endpoint, region: resources.region, credentials: sandboxCredentials });
  try {
    const saved = await readSaved(dataDir);
    if (saved.userPoolId && saved.clientId && (await clientExists(client, saved as PoolIds))) {
      return { userPoolId: saved.userPoolId, clientId: saved.clientId, created: false };
    }
    const ids = await createPool(client);
    await writeFile(sandboxFile(dataDir), `${JSON.stringify({ ...saved, ...ids }, null, 2)}\n`);
    return { ...ids, created: true };
  } finally {
    client.destroy();
  }
}

async function createPool(client: CognitoIdentityProviderClient): Promise<PoolIds> {
  const { UserPool } = await client.send(
    new CreateUserPoolCommand({
      PoolName: "chat-users",
      UsernameAttributes: ["email"],
      // As the stack's pool: `Alice@Example.com` and `alice@example.com` are one account (cognitoUsernames.ts).
      UsernameConfiguration: { CaseSensitive: false },
      // As the stack's pool: a sign-up's code is "mailed" (cognitoCodes.ts logs it while the account is unconfirmed).
      AutoVerifiedAttributes: ["email"],
      Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }],
      Policies: { PasswordPolicy: { MinimumLength: 8, RequireLowercase: true, RequireNumbers: true, RequireUppercase: false, RequireSymbols: false } },
    }),
  );
  const userPoolId = UserPool!.Id!;
  const { UserPoolClient } = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: "chat-web",
      GenerateSecret: false,
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      // Cognito's defaults: one hour for ID and access tokens, 30 days for refresh tokens.
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { IdToken: "minutes", AccessToken: "minutes", RefreshToken: "days" },
    }),
  );
  return { userPoolId, clientId: UserPoolClient!.ClientId! };
}

async function clientExists(client: CognitoIdentityProviderClient, ids: PoolIds): Promise<boolean> {
  try {
    await client.send(new DescribeUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.clientId }));
    return true;
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return false;
    throw error;
  }
}

async function readSaved(dataDir: string): Promise<Partial<PoolIds> & Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(sandboxFile(dataDir), "utf8")) as Partial<PoolIds>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}
