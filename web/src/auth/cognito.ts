/**
 * The Cognito user pool's JSON API, called from the browser with plain fetch (no SDK): the
 * same requests against AWS and against the sandbox's Cognito (`auth.endpoint`).
 */
export interface AuthConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  /** Present where the identity provider is not AWS Cognito itself (the sandbox). */
  endpoint?: string;
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/** A refusal from Cognito, named by its exception type (`NotAuthorizedException`, …); `NetworkError` when unreachable. */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = "CognitoError";
  }
}

type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export const cognitoEndpoint = (auth: AuthConfig): string => auth.endpoint ?? `https://cognito-idp.${auth.region}.amazonaws.com/`;

export class CognitoClient {
  constructor(
    private readonly auth: AuthConfig,
    private readonly fetchImpl: Fetch = (url, init) => fetch(url, init),
  ) {}

  /** True when the account can sign in at once (always in the sandbox). */
  async signUp(email: string, name: string, password: string): Promise<{ confirmed: boolean }> {
    const answer = await this.call<{ UserConfirmed?: boolean }>("SignUp", {
      ClientId: this.auth.clientId,
      Username: email,
      Password: password,
      UserAttributes: [
        { Name: "email", Value: email },
        { Name: "name", Value: name },
      ],
    });
    return { confirmed: answer.UserConfirmed ?? false };
  }

  async confirmSignUp(email: string, code: string): Promise<void> {
    await this.call("ConfirmSignUp", { ClientId: this.auth.clientId, Username: email, ConfirmationCode: code });
  }

  /** Mails a new confirmation code to an account not confirmed yet. */
  async resendConfirmationCode(email: string): Promise<void> {
    await this.call("ResendConfirmationCode", { ClientId: this.auth.clientId, Username: email });
  }

  async signIn(email: string, password: string): Promise<Tokens> {
    const result = await this.initiate("USER_PASSWORD_AUTH", { USERNAME: email, PASSWORD: password });
    return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken ?? "" };
  }

  /** New ID and access tokens; Cognito keeps the refresh token unless it rotates it. */
  async refresh(refreshToken: string): Promise<Tokens> {
    const result = await this.initiate("REFRESH_TOKEN_AUTH", { REFRESH_TOKEN: refreshToken });
    return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken ?? refreshToken };
  }

  async revoke(refreshToken: string): Promise<void> {
    await this.call("RevokeToken", { ClientId: this.auth.clientId, Token: refreshToken });
  }

  private async initiate(flow: string, parameters: Record<string, string>) {
    const answer = await this.call<{ AuthenticationResult?: { IdToken: string; AccessToken: string; RefreshToken?: string }; ChallengeName?: string }>(
      "InitiateAuth",
      { ClientId: this.auth.clientId, AuthFlow: flow, AuthParameters: parameters },
    );
    if (!answer.AuthenticationResult) throw new CognitoError(answer.ChallengeName ?? "UnknownError", "Sign-in needs a step this app does not support.");
    return answer.AuthenticationResult;
  }

  private async call<T>(target: string, body: unknown): Promise<T> {
    let response: Awaited<ReturnType<Fetch>>;
    try {
      response = await this.fetchImpl(cognitoEndpoint(this.auth), {
        method: "POST",
        headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AWSCognitoIdentityProviderService.${target}` },
        body: JSON.stringify(body),
      });
    } catch {
      throw new CognitoError("NetworkError", "The sign-in service could not be reached.");
    }
    const text = await response.text();
    let data: Record<string, unknown> = {};
    try {
      data = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // An error page: the status says enough.
    }
    if (response.ok) return data as T;
    const type = String(data.__type ?? response.headers.get("x-amzn-errortype") ?? `HTTP${response.status}`);
    const message = String(data.message ?? data.Message ?? `The sign-in service answered ${response.status}.`);
    throw new CognitoError(type.split("#").pop()!.split(":")[0]!, message);
  }
}
