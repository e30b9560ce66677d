import { existsSync } from "node:fs";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleHandler } from "./bundles";

/** One statement of an IAM policy document, as the components write them: always `Allow`, actions named. */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow";
  Action: string[];
  Resource: pulumi.Input<pulumi.Input<string>[]>;
  /** Narrows the statement to some keys (infra/aws/keyPatterns.ts). */
  Condition?: Record<string, Record<string, string[]>>;
}

/** A resource a policy names: its name (for settings) and its ARN (for statements). */
export interface ResourceRef {
  name: pulumi.Input<string>;
  arn: pulumi.Input<string>;
}

/** The stack's shared resources, which the handlers' adapters are wired to (functions/adapters/wiring.ts). */
export interface SharedResources {
  eventTable: ResourceRef;
  eventBus: ResourceRef;
  viewsBucket: ResourceRef;
}

/**
 * The settings a function wired with `awsAdapters()` may read (functions/adapters/config.ts).
 * The adapters read them lazily, but every one is given, so no code path can die of a
 * missing setting; a name grants nothing, the role's policy does.
 */
export function sharedSettings(shared: SharedResources): Record<string, pulumi.Input<string>> {
  return { EVENTS_TABLE: shared.eventTable.name, EVENT_BUS_NAME: shared.eventBus.name, VIEWS_BUCKET: shared.viewsBucket.name };
}

export interface LambdaFunctionArgs {
  /** The folder `npm run build` wrote for this function (`dist/functions/<name>`), deployed as a FileArchive. */
  bundleDir: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Settings the handler reads from `process.env`. */
  environment?: Record<string, pulumi.Input<string>>;
  /**
   * What the handler calls, as the statements of the role's inline policy. Writing logs
   * to the function's own log group is added here; nothing else is.
   */
  statements: pulumi.Input<PolicyStatement>[];
  /** Days to keep the function's logs. Default 14. */
  logRetentionDays?: number;
  /** Runtime. Default `nodejs22.x` (what the bundles target). */
  runtime?: string;
  /** Description shown in the console. */
  description?: string;
}

/**
 * A Lambda function from a prebuilt bundle: an execution role with one inline policy
 * (its own log group plus exactly the statements given), a log group with retention, and
 * the function itself on arm64, logging JSON. No managed policies, so nothing unnamed is
 * granted.
 */
export class LambdaFunction extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly arn: pulumi.Output<string>;
  public readonly functionName: pulumi.Output<string>;
  public readonly invokeArn: pulumi.Output<string>;

  constructor(name: string, args: LambdaFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:lambda:Function", name, {}, opts);
    if (!existsSync(args.bundleDir)) {
      pulumi.log.warn(`${args.bundleDir} does not exist: run \`npm run build\` before \`pulumi up\`.`, this);
    }

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: args.logRetentionDays ?? 14 },
      { parent: this },
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: pulumi.jsonStringify(assumedByLambda()), description: `Runs the ${name} function.` },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [writeOwnLogs(this.logGroup.arn), ...args.statements],
        }),
      },
      { parent: this },
    );
    this.function = new aws.lambda.Function(
      `${name}-fn`,
      {
        description: args.description,
        code: new pulumi.asset.FileArchive(args.bundleDir),
        handler: bundleHandler,
        runtime: args.runtime ?? "nodejs22.x",
        architectures: ["arm64"],
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        role: this.role.arn,
        environment: { variables: { NODE_OPTIONS: "--enable-source-maps", ...args.environment } },
        loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      },
      // The role must be able to log before the first invocation.
      { parent: this, dependsOn: [policy] },
    );
    this.arn = this.function.arn;
    this.functionName = this.function.name;
    this.invokeArn = this.function.invokeArn;
    this.registerOutputs({ arn: this.arn, functionName: this.functionName, roleArn: this.role.arn });
  }
}

function assumedByLambda() {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
}

/** Instead of AWSLambdaBasicExecutionRole (which allows every log group): the function's own. */
function writeOwnLogs(logGroupArn: pulumi.Output<string>): PolicyStatement {
  return {
    Sid: "WriteOwnLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [pulumi.interpolate`${logGroupArn}:*`],
  };
}
