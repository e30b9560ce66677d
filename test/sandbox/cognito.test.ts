import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { expect } from "chai";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import type { Sandbox } from "../../infra/local";
import { lastConfirmationCode } from "../../infra/local/cognitoCodes";
import { removeDir, tempDataDir } from "../support/sandboxContext";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { cognitoClient, jwtClaims, signIn, signUp } from "../support/sandboxUsers";

describe("sandbox Cognito (cognito-local with trigger Lambdas)", function () {
  this.timeout(30_000);
  let dataDir: string;
  let sandbox: Sandbox | undefined;
  const confirmations: PostConfirmationTriggerEvent[] = [];
  const refusal = (promise: Promise<unknown>) => promise.then(() => "none", (error: Error) => error.name);
  // The real autoconfirm handler (the default wiring); a fake registration that records its events.
  const start = () =>
    startTestSandbox({
      dataDir,
      handlers: { registration: async (event) => (confirmations.push(event), event) },
    });

  before(async () => {
    dataDir = await tempDataDir();
    sandbox = await start();
  });
  after(async () => {
    await sandbox?.stop();
    await removeDir(dataDir);
  });

  it("confirms a sign-up at once, so USER_PASSWORD_AUTH works right after SignUp", async () => {
    const user = await signUp(sandbox!, "Ada");
    expect(user.confirmed).to.equal(true);
    expect(user.idToken).to.be.a("string");
  });

  it("issues ID tokens from http://<host>:<port>/<poolId> for the web client, carrying sub, email and name", async () => {
    const user = await signUp(sandbox!, "Linus");
    const claims = jwtClaims(user.idToken);
    expect(claims).to.include({
      iss: `${sandbox!.urls.cognito}/${sandbox!.userPoolId}`,
      aud: sandbox!.clientId,
      sub: user.userSub,
      email: user.email,
      name: "Linus",
      token_use: "id",
    });
    expect(claims.exp as number).to.be.greaterThan(Date.now() / 1000);
  });

  it("invokes the PostConfirmation handler with the new user's sub and name", async () => {
    const user = await signUp(sandbox!, "Barbara");
    const event = confirmations.find((e) => e.request.userAttributes.sub === user.userSub);
    expect(event, "PostConfirmation event for the new user").to.not.equal(undefined);
    expect(event!.triggerSource).to.equal("PostConfirmation_ConfirmSignUp");
    expect(event!.userPoolId).to.equal(sandbox!.userPoolId);
    expect(event!.request.userAttributes).to.include({ sub: user.userSub, name: "Barbara", email: user.email });
  });

  it("treats an email in any case as the same account (UsernameConfiguration.CaseSensitive = false, as the stack's pool)", async () => {
    const cognito = cognitoClient(sandbox!);
    const email = `Alice-${randomUUID().slice(0, 8)}@Example.com`;
    const password = "Correct-Horse-9";
    try {
      const { UserSub } = await cognito.send(
        new SignUpCommand({ ClientId: sandbox!.clientId, Username: email, Password: password, UserAttributes: [{ Name: "name", Value: "Alice" }] }),
      );
      const again = new SignUpCommand({ ClientId: sandbox!.clientId, Username: email.toLowerCase(), Password: password, UserAttributes: [{ Name: "name", Value: "Alice 2" }] });
      expect(await refusal(cognito.send(again))).to.equal("UsernameExistsException");

      const auth = await cognito.send(
        new InitiateAuthCommand({ ClientId: sandbox!.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email.toUpperCase(), PASSWORD: password } }),
      );
      expect(jwtClaims(auth.AuthenticationResult!.IdToken!).sub).to.equal(UserSub);
      const me = await cognito.send(new GetUserCommand({ AccessToken: auth.AuthenticationResult!.AccessToken! }));
      expect(me.UserAttributes?.find((a) => a.Name === "sub")?.Value).to.equal(UserSub);
      const found = await cognito.send(new AdminGetUserCommand({ UserPoolId: sandbox!.userPoolId, Username: email.replace("Example", "EXAMPLE") }));
      expect(found.UserAttributes?.find((a) => a.Name === "sub")?.Value).to.equal(UserSub);
      const pool = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: sandbox!.userPoolId }));
      expect(pool.UserPool?.UsernameConfiguration).to.deep.equal({ CaseSensitive: false });
    } finally {
      cognito.destroy();
    }
  });

  it("refuses a sign-up whose name is blank or over 80 characters with the PreSignUp trigger's plain words, creating no account", async () => {
    const cognito = cognitoClient(sandbox!);
    const email = `blank-${randomUUID().slice(0, 8)}@example.com`;
    const password = "Correct-Horse-9";
    const signUpAs = (name: string) =>
      cognito.send(new SignUpCommand({ ClientId: sandbox!.clientId, Username: email, Password: password, UserAttributes: [{ Name: "name", Value: name }] }));
    const refused = (promise: Promise<unknown>) => promise.then(() => ({ name: "none", message: "" }), (error: Error) => ({ name: error.name, message: error.message }));
    try {
      const blank = await refused(signUpAs("   "));
      expect(blank.name).to.equal("UserLambdaValidationException");
      expect(blank.message).to.include("Enter your name: it can't be only spaces.");
      const long = await refused(signUpAs("x".repeat(81)));
      expect(long.name).to.equal("UserLambdaValidationException");
      expect(long.message).to.include("Your name can be at most 80 characters.");
      // Nothing was created: the email is still free, and a name of 80 characters once trimmed passes.
      const { UserConfirmed } = await signUpAs(`  ${"y".repeat(80)}  `);
      expect(UserConfirmed).to.equal(true);
    } finally {
      cognito.destroy();
    }
  });

  it("serves the pool's JWKS, whose key verifies its ID tokens", async () => {
    const user = await signUp(sandbox!, "Donald");
    const response = await fetch(`${sandbox!.urls.cognito}/${sandbox!.userPoolId}/.well-known/jwks.json`);
    const { payload } = await jwtVerify(user.idToken, createLocalJWKSet((await response.json()) as JSONWebKeySet));
    expect(payload.sub).to.equal(user.userSub);
  });

  it("keeps the pool, client and accounts across restarts, with their ids in <dataDir>/sandbox.json", async () => {
    const user = await signUp(sandbox!, "Edsger");
    const first = { userPoolId: sandbox!.userPoolId, clientId: sandbox!.clientId };
    expect(JSON.parse(await readFile(path.join(dataDir, "sandbox.json"), "utf8"))).to.include(first);
    await sandbox!.stop();
    sandbox = undefined;
    sandbox = await start();
    expect({ userPoolId: sandbox.userPoolId, clientId: sandbox.clientId }).to.deep.equal(first);
    expect(jwtClaims(await signIn(sandbox, user.email, user.password)).sub).to.equal(user.userSub);
  });
});

describe("sandbox Cognito with sign-ups left to confirm (autoConfirmSignUps: false)", function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  const lines: string[] = [];
  const confirmations: PostConfirmationTriggerEvent[] = [];
  const refusal = (promise: Promise<unknown>) => promise.then(() => "none", (error: Error) => error.name);

  before(async () => {
    sandbox = await startTestSandbox({
      autoConfirmSignUps: false,
      log: (_level, line) => lines.push(line),
      handlers: { registration: async (event) => (confirmations.push(event), event) },
    });
  });
  after(() => disposeTestSandbox(sandbox));

  it("leaves a sign-up unconfirmed, mails (logs) its code, sends a new one on request, and confirms with the latest", async () => {
    const cognito = cognitoClient(sandbox);
    const email = `grace-${randomUUID().slice(0, 8)}@example.com`;
    const password = "Correct-Horse-9";
    try {
      const answer = await cognito.send(new SignUpCommand({ ClientId: sandbox.clientId, Username: email, Password: password, UserAttributes: [{ Name: "name", Value: "Grace" }] }));
      expect(answer.UserConfirmed).to.equal(false);
      const first = lastConfirmationCode(lines, email);
      expect(first).to.match(/^\d{6}$/);
      expect(await refusal(signIn(sandbox, email, password))).to.equal("UserNotConfirmedException");

      const resent = await cognito.send(new ResendConfirmationCodeCommand({ ClientId: sandbox.clientId, Username: email }));
      expect(resent.CodeDeliveryDetails).to.deep.equal({ AttributeName: "email", DeliveryMedium: "EMAIL", Destination: email });
      const second = lastConfirmationCode(lines, email)!;
      expect(lines.filter((l) => l.includes(email))).to.have.length(2);
      expect(second).to.not.equal(first);
      expect(await refusal(cognito.send(new ConfirmSignUpCommand({ ClientId: sandbox.clientId, Username: email, ConfirmationCode: first! })))).to.equal("CodeMismatchException");
      await cognito.send(new ConfirmSignUpCommand({ ClientId: sandbox.clientId, Username: email, ConfirmationCode: second }));

      expect(confirmations.map((e) => e.request.userAttributes.email)).to.include(email);
      expect(jwtClaims(await signIn(sandbox, email, password)).email).to.equal(email);
      expect(await refusal(cognito.send(new ResendConfirmationCodeCommand({ ClientId: sandbox.clientId, Username: email })))).to.equal("InvalidParameterException");
    } finally {
      cognito.destroy();
    }
  });

  it("resends and confirms the code of an email typed in another case than at sign-up", async () => {
    const cognito = cognitoClient(sandbox);
    const email = `Hedy-${randomUUID().slice(0, 8)}@Example.com`;
    const password = "Correct-Horse-9";
    try {
      await cognito.send(new SignUpCommand({ ClientId: sandbox.clientId, Username: email, Password: password, UserAttributes: [{ Name: "name", Value: "Hedy" }] }));
      await cognito.send(new ResendConfirmationCodeCommand({ ClientId: sandbox.clientId, Username: email.toUpperCase() }));
      const code = lastConfirmationCode(lines, email)!;
      await cognito.send(new ConfirmSignUpCommand({ ClientId: sandbox.clientId, Username: email.toLowerCase(), ConfirmationCode: code }));
      expect(jwtClaims(await signIn(sandbox, email.toLowerCase(), password)).email).to.equal(email);
    } finally {
      cognito.destroy();
    }
  });
});

