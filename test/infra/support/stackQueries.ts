/** Questions the infra tests ask of a stack's recorded resources. */
import type { Recorded } from "./mocks";
import type { Stack } from "./program";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

export const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export function ofType(stack: Stack, type: string): Recorded[] {
  return stack.resources.filter((r) => r.type === type);
}

export function named(stack: Stack, type: string, name: string): Recorded {
  const found = stack.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

/** The resource whose output `key` equals `value` (references between resources are resolved outputs). */
export function byOutput(stack: Stack, type: string, key: string, value: unknown): Recorded {
  const found = stack.resources.find((r) => r.type === type && r.state[key] === value);
  if (!found) throw new Error(`no ${type} with ${key} = ${String(value)}`);
  return found;
}

export const lambdas = (stack: Stack) => ofType(stack, "aws:lambda/function:Function");

/** The folder a Lambda's code archive points at. */
export async function archivePathOf(fn: Recorded): Promise<string | undefined> {
  const code = fn.inputs.code as { path?: string | Promise<string> } | undefined;
  return code?.path === undefined ? undefined : await code.path;
}

/** The name in functions/handlers.ts a Lambda was built from (`dist/functions/<name>`). */
export async function bundleNameOf(fn: Recorded): Promise<string> {
  const dir = await archivePathOf(fn);
  const name = /^dist\/functions\/([^/]+)$/.exec(dir ?? "")?.[1];
  if (!name) throw new Error(`${fn.name}'s code is not a built bundle: ${dir}`);
  return name;
}

/** Every inline policy statement of a Lambda's execution role. */
export function roleStatements(stack: Stack, fn: Recorded): Statement[] {
  const role = byOutput(stack, "aws:iam/role:Role", "arn", fn.inputs.role);
  const inline = ofType(stack, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === role.id);
  return inline.flatMap((p) => (JSON.parse(p.inputs.policy) as PolicyDocument).Statement);
}

/** Every policy document in the stack, with where it sits. */
export function policyDocuments(stack: Stack): { where: string; doc: PolicyDocument }[] {
  const docs: { where: string; doc: PolicyDocument }[] = [];
  const add = (where: string, json: unknown) => {
    if (typeof json === "string") docs.push({ where, doc: JSON.parse(json) as PolicyDocument });
  };
  for (const r of stack.resources) {
    if (r.type === "aws:iam/role:Role") add(`${r.name} trust policy`, r.inputs.assumeRolePolicy);
    if (r.type === "aws:iam/role:Role") for (const p of list(r.inputs.inlinePolicies)) add(`${r.name} inline`, (p as { policy?: string }).policy);
    if (["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:sqs/queuePolicy:QueuePolicy", "aws:s3/bucketPolicy:BucketPolicy", "aws:sns/topicPolicy:TopicPolicy"].includes(r.type)) {
      add(r.name, r.inputs.policy);
    }
  }
  return docs;
}

/** `action@target` for each action × resource a Lambda's role allows, targets named as in iamActions.ts. */
export function allowedGrants(stack: Stack, fn: Recorded): Set<string> {
  const grants = new Set<string>();
  for (const statement of roleStatements(stack, fn)) {
    if (statement.Effect !== "Allow") continue;
    for (const action of list(statement.Action)) for (const resource of list(statement.Resource)) grants.add(`${action}@${targetOf(stack, fn, resource)}`);
  }
  return grants;
}

/** The event source mappings (a stream or a queue Lambda polls) that invoke a function, named by its name or ARN. */
export function mappingsOf(stack: Stack, fn: Recorded): Recorded[] {
  return ofType(stack, "aws:lambda/eventSourceMapping:EventSourceMapping").filter((m) => [fn.state.name, fn.state.arn].includes(m.inputs.functionName));
}

/**
 * What a policy's resource ARN is, seen from a function: a kind of resource, or one of its
 * own: its logs, the on-failure queue of its asynchronous invocations or of its event source
 * mapping, the source its mapping polls (which Lambda reads with the function's role).
 */
export function targetOf(stack: Stack, fn: Recorded, arn: string): string {
  const logGroup = byOutput(stack, "aws:cloudwatch/logGroup:LogGroup", "name", fn.inputs.loggingConfig?.logGroup);
  if (arn === `${logGroup.state.arn}:*`) return "own-logs";
  const onFailure = ofType(stack, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").find(
    (c) => c.inputs.functionName === fn.state.name,
  );
  if (onFailure && arn === onFailure.inputs.destinationConfig?.onFailure?.destination) return "own-failures";
  for (const mapping of mappingsOf(stack, fn)) {
    if (arn === mapping.inputs.eventSourceArn) return "own-source";
    if (arn === mapping.inputs.destinationConfig?.onFailure?.destinationArn) return "own-failures";
  }
  for (const table of ofType(stack, "aws:dynamodb/table:Table")) {
    if (arn === table.state.arn) return "table";
    if (arn.startsWith(`${table.state.arn}/index/`)) return "index";
  }
  for (const bucket of ofType(stack, "aws:s3/bucket:Bucket")) {
    if (arn === bucket.state.arn) return "bucket";
    if (arn.startsWith(`${bucket.state.arn}/`)) return "objects";
  }
  if (ofType(stack, "aws:cloudwatch/eventBus:EventBus").some((b) => b.state.arn === arn)) return "bus";
  for (const api of ofType(stack, "aws:apigatewayv2/api:Api")) if (arn.startsWith(`${api.state.executionArn}/`) && arn.includes("/@connections/")) return "connections";
  return `unknown:${arn}`;
}

/** The resource (table, bucket, bus, API) a policy ARN belongs to. */
export function ownerOf(stack: Stack, arn: string): Recorded | undefined {
  return stack.resources.find(
    (r) =>
      (r.state.arn && (arn === r.state.arn || arn.startsWith(`${r.state.arn}/`))) ||
      (r.state.executionArn && arn.startsWith(`${r.state.executionArn}/`)),
  );
}
