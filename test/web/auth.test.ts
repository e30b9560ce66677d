/** Signing in from the browser: Cognito's JSON API, its refusals in plain words, and a session that outlives reloads and expiry. */
import { expect } from "chai";
import { displayNameProblem } from "../../functions/domain/user/displayName";
import { describeAuthError, needsConfirmation, passwordProblem } from "../../web/src/auth/authErrors";
import { CognitoClient, CognitoError, type Tokens } from "../../web/src/auth/cognito";
import { type KeyValueStorage, Session, sessionKey } from "../../web/src/auth/session";
import { FakeTimers } from "../support/browserFakes";

const auth = { region: "eu-west-1", userPoolId: "eu-west-1_abc", clientId: "client-1" };

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none" })}.${part(claims)}.sig`;
}

class MemoryStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  getItem = (key: string) => this.map.get(key) ?? null;
  setItem = (key: string, value: string) => void this.map.set(key, value);
  removeItem = (key: string) => void this.map.delete(key);
}

describe("web auth", () => {
  it("calls Cognito's JSON API with the target header, at AWS or at the configured endpoint", async () => {
    const calls: { url: string; headers: Record<string, string>; body: unknown }[] = [];
    const fetchImpl = async (url: string, init: { headers: Record<string, string>; body: string }) => {
      calls.push({ url, headers: init.headers, body: JSON.parse(init.body) });
      return { ok: true, status: 200, headers: { get: () => null }, text: async () => JSON.stringify({ AuthenticationResult: { IdToken: "i", AccessToken: "a", RefreshToken: "r" } }) };
    };
    await new CognitoClient(auth, fetchImpl).signIn("ann@example.com", "pw");
    await new CognitoClient({ ...auth, endpoint: "http://127.0.0.1:9229" }, fetchImpl).refresh("r");
    expect(calls[0]).to.deep.equal({
      url: "https://cognito-idp.eu-west-1.amazonaws.com/",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth" },
      body: { ClientId: "client-1", AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "ann@example.com", PASSWORD: "pw" } },
    });
    expect(calls[1]?.url).to.equal("http://127.0.0.1:9229");
    expect(calls[1]?.body).to.deep.include({ AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: "r" } });
  });

  it("names a refusal by Cognito's exception type, with or without its namespace", async () => {
    for (const type of ["NotAuthorizedException", "com.amazonaws.cognito#NotAuthorizedException"]) {
      const fetchImpl = async () => ({ ok: false, status: 400, headers: { get: () => null }, text: async () => JSON.stringify({ __type: type, message: "Incorrect username or password." }) });
      const error = await new CognitoClient(auth, fetchImpl).signIn("a", "b").catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CognitoError).and.to.include({ type: "NotAuthorizedException" });
    }
  });

  it("explains a wrong password, a taken email and a weak password plainly", () => {
    const error = (type: string, message = "") => new CognitoError(type, message);
    expect(describeAuthError(error("NotAuthorizedException"), "sign-in")).to.equal("Incorrect email or password.");
    // The sandbox's Cognito answers a wrong password so.
    expect(describeAuthError(error("InvalidPasswordException"), "sign-in")).to.equal("Incorrect email or password.");
    expect(describeAuthError(error("UsernameExistsException"), "sign-up")).to.match(/already exists/);
    expect(describeAuthError(error("InvalidPasswordException", "Password must have uppercase characters"), "sign-up")).to.equal(
      "That password is too weak: Password must have uppercase characters.",
    );
    expect(describeAuthError(error("NetworkError"), "sign-in")).to.match(/Can't reach/);
  });

  it("ends every explanation in exactly one full stop, whether Cognito's message has one or not", () => {
    const error = (type: string, message: string) => new CognitoError(type, message);
    for (const message of ["Password not long enough", "Password not long enough.", "Password not long enough.."]) {
      expect(describeAuthError(error("InvalidPasswordException", message), "sign-up")).to.equal("That password is too weak: Password not long enough.");
      expect(describeAuthError(error("InvalidParameterException", message), "sign-up")).to.equal("Password not long enough.");
      expect(describeAuthError(error("SomethingNewException", message), "sign-in")).to.equal("Password not long enough.");
    }
  });

  it("confirms a sign-up and asks for a new code with Cognito's own requests", async () => {
    const calls: { target: string; body: unknown }[] = [];
    const fetchImpl = async (_url: string, init: { headers: Record<string, string>; body: string }) => {
      calls.push({ target: init.headers["X-Amz-Target"]!, body: JSON.parse(init.body) });
      return { ok: true, status: 200, headers: { get: () => null }, text: async () => "{}" };
    };
    const client = new CognitoClient(auth, fetchImpl);
    await client.confirmSignUp("ann@example.com", "123456");
    await client.resendConfirmationCode("ann@example.com");
    expect(calls).to.deep.equal([
      { target: "AWSCognitoIdentityProviderService.ConfirmSignUp", body: { ClientId: "client-1", Username: "ann@example.com", ConfirmationCode: "123456" } },
      { target: "AWSCognitoIdentityProviderService.ResendConfirmationCode", body: { ClientId: "client-1", Username: "ann@example.com" } },
    ]);
  });

  it("tells a wrong confirmation code from an expired one, and knows a sign-in that needs the code step", () => {
    const error = (type: string) => new CognitoError(type, "");
    expect(describeAuthError(error("CodeMismatchException"), "confirm")).to.match(/not right/);
    expect(describeAuthError(error("ExpiredCodeException"), "confirm")).to.match(/expired.*new one/);
    expect(needsConfirmation(error("UserNotConfirmedException"))).to.equal(true);
    expect(needsConfirmation(error("NotAuthorizedException"))).to.equal(false);
    expect(needsConfirmation(new Error("UserNotConfirmedException"))).to.equal(false);
  });

  it("refuses a password below every pool's minimum before asking Cognito", () => {
    expect(passwordProblem("short1")).to.match(/too weak.*8 characters/);
    expect(passwordProblem("ALLUPPER123")).to.match(/lowercase/);
    expect(passwordProblem("nodigitshere")).to.match(/digit/);
    expect(passwordProblem("correct-horse-9")).to.equal(undefined);
  });

  it("refuses a blank name, or one over 80 characters once trimmed, before asking Cognito", () => {
    expect(displayNameProblem("")).to.equal("Enter your name: it can't be only spaces.");
    expect(displayNameProblem(" \t  ")).to.equal("Enter your name: it can't be only spaces.");
    expect(displayNameProblem("x".repeat(81))).to.equal("Your name can be at most 80 characters.");
    expect(displayNameProblem(`  ${"x".repeat(80)}  `)).to.equal(undefined);
    expect(displayNameProblem(" Ada ")).to.equal(undefined);
  });

  it("shows the PreSignUp trigger's refusal in its own words, as AWS and the sandbox's Cognito wrap them", () => {
    const refusal = (message: string) => describeAuthError(new CognitoError("UserLambdaValidationException", message), "sign-up");
    expect(refusal("PreSignUp failed with error Enter your name: it can't be only spaces..")).to.equal("Enter your name: it can't be only spaces.");
    expect(refusal("autoconfirm failed with error Your name can be at most 80 characters..")).to.equal("Your name can be at most 80 characters.");
  });

  describe("session", () => {
    function setup() {
      const timers = new FakeTimers();
      const storage = new MemoryStorage();
      const refreshes: string[] = [];
      const now = () => Math.floor(timers.now() / 1000);
      const tokens = (n: number): Tokens => ({ idToken: jwt({ sub: "u-ann", name: "Ann", email: "ann@example.com", exp: now() + 3600, n }), accessToken: `a${n}`, refreshToken: "r1" });
      let issued = 0;
      let refuse = false;
      const steps: string[] = [];
      const cognito = {
        signIn: async (email: string, password: string) => (steps.push(`signIn ${email} ${password}`), tokens(++issued)),
        signUp: async () => ({ confirmed: true }),
        confirmSignUp: async (email: string, code: string) => void steps.push(`confirmSignUp ${email} ${code}`),
        resendConfirmationCode: async (email: string) => void steps.push(`resendConfirmationCode ${email}`),
        refresh: async (refreshToken: string) => {
          refreshes.push(refreshToken);
          if (refuse) throw new CognitoError("NotAuthorizedException", "Refresh Token has been revoked");
          return tokens(++issued);
        },
        revoke: async () => undefined,
      };
      const open = () => new Session({ clientId: "client-1", cognito, storage, timers });
      return { timers, storage, refreshes, steps, open, refuseRefresh: () => (refuse = true) };
    }

    it("confirms with the emailed code, then signs in with the password just typed; sends a new code on request", async () => {
      const { open, steps } = setup();
      const session = open();
      await session.resendCode(" ann@example.com ");
      await session.confirm("ann@example.com ", " 123456 ", "pw");
      expect(steps).to.deep.equal(["resendConfirmationCode ann@example.com", "confirmSignUp ann@example.com 123456", "signIn ann@example.com pw"]);
      expect(session.user?.userId).to.equal("u-ann");
    });

    it("keeps the person signed in across a reload", async () => {
      const { open } = setup();
      await open().signIn("ann@example.com", "pw");
      expect(open().user).to.deep.equal({ userId: "u-ann", name: "Ann", email: "ann@example.com" });
    });

    it("refreshes the ID token before it expires, once for concurrent callers", async () => {
      const { open, timers, refreshes } = setup();
      const session = open();
      await session.signIn("ann@example.com", "pw");
      const first = await session.token();
      timers.sleep(3600_000 - 30_000);
      const [a, b] = await Promise.all([session.token(), session.token()]);
      expect(a).to.equal(b).and.not.equal(first);
      expect(refreshes).to.deep.equal(["r1"]);
    });

    it("refreshes on its own five minutes before expiry", async () => {
      const { open, timers, refreshes } = setup();
      await open().signIn("ann@example.com", "pw");
      await timers.advance(55 * 60_000 - 1);
      expect(refreshes).to.have.length(0);
      await timers.advance(1);
      expect(refreshes).to.have.length(1);
    });

    it("ends the session, saying so, when Cognito refuses the refresh token", async () => {
      const { open, timers, storage, refuseRefresh } = setup();
      const session = open();
      await session.signIn("ann@example.com", "pw");
      refuseRefresh();
      timers.sleep(3600_000);
      await session.token().catch(() => undefined);
      expect(session.user).to.equal(undefined);
      expect(session.endedBecause).to.match(/sign in again/);
      expect(storage.map.has(sessionKey)).to.equal(false);
    });

    it("forgets a session saved for another user pool client", async () => {
      const { open, storage } = setup();
      await open().signIn("ann@example.com", "pw");
      const saved = JSON.parse(storage.map.get(sessionKey)!);
      storage.map.set(sessionKey, JSON.stringify({ ...saved, clientId: "another" }));
      expect(open().user).to.equal(undefined);
    });
  });
});
