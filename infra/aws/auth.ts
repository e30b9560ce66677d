import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { partitionKeysLike, tableKeys } from "./keyPatterns";
import { LambdaFunction, type PolicyStatement, type SharedResources, sharedSettings } from "./lambdaFunction";

/** A function bundle and its sizing, as `functions/handlers.ts` declares it. */
export interface BundleArgs {
  bundleDir: string;
  memoryMb: number;
  timeoutSeconds: number;
}

export interface AuthArgs {
  /** The region of the pool: the JWT issuer is `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  region: pulumi.Input<string>;
  /** PostConfirmation trigger: records `user_registered`. */
  registration: BundleArgs;
  /**
   * PreSignUp trigger that confirms new accounts at once (no email code). Leave it out on
   * a public stack: then Cognito mails a code that must be confirmed first. Default: absent.
   */
  autoConfirm?: BundleArgs;
  /**
   * Send the pool's emails (confirmation codes) through Amazon SES from a verified identity
   * (`emailSendingAccount: DEVELOPER`), optionally with a From address of that identity.
   * Default: Cognito's own sender, which allows only a few emails a day: enough to try a
   * stack, not for public sign-ups.
   */
  email?: { sourceArn: pulumi.Input<string>; fromEmailAddress?: pulumi.Input<string> };
  /** The event table, the bus and the views bucket. */
  shared: SharedResources;
  /** Refuse deleting the pool (Cognito deletion protection and `protect`). Default false. */
  deletionProtection?: boolean;
  /** Days to keep the triggers' logs. Default 14. */
  logRetentionDays?: number;
}

/**
 * Identity: a Cognito user pool where people sign in with their email and must give a
 * display name (`name`), and one public client for the web app: no secret (a browser
 * cannot keep one), the SRP and password flows the contract names, and refresh tokens.
 * Confirming an account runs the registration trigger, the trusted path to
 * `user_registered`.
 */
export class Auth extends pulumi.ComponentResource {
  public readonly userPool: aws.cognito.UserPool;
  public readonly client: aws.cognito.UserPoolClient;
  public readonly registration: LambdaFunction;
  public readonly autoConfirm?: LambdaFunction;
  public readonly userPoolId: pulumi.Output<string>;
  public readonly userPoolArn: pulumi.Output<string>;
  public readonly userPoolClientId: pulumi.Output<string>;
  /** The `iss` of the pool's tokens, which the APIs' authorizers trust. */
  public readonly issuer: pulumi.Output<string>;

  constructor(name: string, args: AuthArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:cognito:Auth", name, {}, opts);
    const parent = { parent: this };
    const deletionProtection = args.deletionProtection ?? false;

    this.registration = new LambdaFunction(
      `${name}-registration`,
      {
        ...args.registration,
        description: "Cognito PostConfirmation: records user_registered.",
        logRetentionDays: args.logRetentionDays,
        environment: sharedSettings(args.shared),
        statements: registrationPolicy(args.shared),
      },
      parent,
    );
    if (args.autoConfirm) {
      this.autoConfirm = new LambdaFunction(
        `${name}-autoconfirm`,
        {
          ...args.autoConfirm,
          description: "Cognito PreSignUp: confirms new accounts without an email code.",
          logRetentionDays: args.logRetentionDays,
          statements: [], // it calls nothing
        },
        parent,
      );
    }

    this.userPool = new aws.cognito.UserPool(
      `${name}-users`,
      {
        usernameAttributes: ["email"],
        autoVerifiedAttributes: ["email"],
        usernameConfiguration: { caseSensitive: false },
        schemas: [
          {
            name: "name",
            attributeDataType: "String",
            required: true,
            mutable: true,
            // Cognito's own bounds for a standard attribute (others cause a diff on every
            // preview); the store keeps at most 80 characters of it in user_registered.
            stringAttributeConstraints: { minLength: "0", maxLength: "2048" },
          },
        ],
        passwordPolicy: {
          minimumLength: 8,
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: false,
          temporaryPasswordValidityDays: 7,
        },
        accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
        deletionProtection: deletionProtection ? "ACTIVE" : "INACTIVE",
        emailConfiguration: args.email && {
          emailSendingAccount: "DEVELOPER",
          sourceArn: args.email.sourceArn,
          fromEmailAddress: args.email.fromEmailAddress,
        },
        lambdaConfig: { postConfirmation: this.registration.arn, preSignUp: this.autoConfirm?.arn },
      },
      { parent: this, protect: deletionProtection },
    );

    for (const [trigger, fn] of [["registration", this.registration], ["autoconfirm", this.autoConfirm]] as const) {
      if (!fn) continue;
      new aws.lambda.Permission(
        `${name}-${trigger}-invoke`,
        { action: "lambda:InvokeFunction", function: fn.functionName, principal: "cognito-idp.amazonaws.com", sourceArn: this.userPool.arn },
        parent,
      );
    }

    this.client = new aws.cognito.UserPoolClient(
      `${name}-web`,
      {
        userPoolId: this.userPool.id,
        generateSecret: false,
        explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        preventUserExistenceErrors: "ENABLED",
        enableTokenRevocation: true,
        idTokenValidity: 60,
        accessTokenValidity: 60,
        refreshTokenValidity: 30,
        tokenValidityUnits: { idToken: "minutes", accessToken: "minutes", refreshToken: "days" },
        readAttributes: ["email", "email_verified", "name"],
        writeAttributes: ["email", "name"],
      },
      parent,
    );

    this.userPoolId = this.userPool.id;
    this.userPoolArn = this.userPool.arn;
    this.userPoolClientId = this.client.id;
    this.issuer = pulumi.interpolate`https://cognito-idp.${args.region}.amazonaws.com/${this.userPool.id}`;
    this.registerOutputs({ userPoolId: this.userPoolId, userPoolClientId: this.userPoolClientId, issuer: this.issuer });
  }
}

/**
 * registerUser: the conditional append at seq 1 of the user's stream (`user-*` items only).
 * The table's stream carries the event to the bus (the Publisher), so nothing here publishes.
 */
function registrationPolicy(args: SharedResources): PolicyStatement[] {
  return [
    { Sid: "AppendRegistration", Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: [args.eventTable.arn], Condition: partitionKeysLike([tableKeys.userStreams]) },
  ];
}
