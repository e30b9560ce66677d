/**
 * Pulumi mocks that record every resource the program registers (type, name, inputs)
 * and answer with plausible outputs: ARNs, ids, URLs shaped like AWS's own, so the
 * tests can follow references between resources (a rule's ARN in a queue policy, a
 * role's ARN on a function).
 */
import * as pulumi from "@pulumi/pulumi";

export interface Recorded {
  type: string;
  name: string;
  id: string;
  inputs: Record<string, any>;
  state: Record<string, any>;
}

export const account = "123456789012";
export const mockRegion = "us-east-1";

export function recordingMocks(resources: Recorded[]): pulumi.runtime.Mocks {
  return {
    newResource(args: pulumi.runtime.MockResourceArgs) {
      const id = `${args.name}-id`;
      const state = { ...args.inputs, ...outputsOf(args.type, args.name, id, args.inputs) };
      resources.push({ type: args.type, name: args.name, id, inputs: args.inputs, state });
      return { id, state };
    },
    call(args: pulumi.runtime.MockCallArgs) {
      if (args.token === "aws:index/getRegion:getRegion") return { id: mockRegion, name: mockRegion, region: mockRegion };
      if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") return { accountId: account, arn: `arn:aws:iam::${account}:root`, userId: account };
      return args.inputs;
    },
  };
}

function outputsOf(type: string, name: string, id: string, inputs: Record<string, any>): Record<string, unknown> {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${mockRegion}:${account}:${resource}`;
  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = inputs.bucket ?? `${name}-a1b2c3`;
      return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${mockRegion}.amazonaws.com` };
    }
    case "aws:dynamodb/table:Table": {
      const tableArn = arn("dynamodb", `table/${inputs.name ?? name}`);
      // A stream's ARN is the table's plus a label of its creation time; none without a stream.
      return { name: inputs.name ?? name, arn: tableArn, streamArn: inputs.streamEnabled ? `${tableArn}/stream/2026-01-01T00:00:00.000` : "" };
    }
    case "aws:lambda/eventSourceMapping:EventSourceMapping":
      return { uuid: `${name}-uuid`, arn: arn("lambda", `event-source-mapping:${name}-uuid`) };
    case "aws:cloudwatch/eventBus:EventBus":
      return { name: inputs.name ?? name, arn: arn("events", `event-bus/${inputs.name ?? name}`) };
    case "aws:cloudwatch/eventArchive:EventArchive":
      return { name: inputs.name ?? name, arn: arn("events", `archive/${inputs.name ?? name}`) };
    case "aws:cloudwatch/eventRule:EventRule":
      return { name: inputs.name ?? name, arn: arn("events", `rule/${inputs.eventBusName}/${inputs.name ?? name}`) };
    case "aws:sqs/queue:Queue":
      return { name: name, arn: arn("sqs", name), url: `https://sqs.${mockRegion}.amazonaws.com/${account}/${name}` };
    case "aws:lambda/function:Function": {
      const fnArn = arn("lambda", `function:${name}`);
      return {
        name,
        arn: fnArn,
        invokeArn: `arn:aws:apigateway:${mockRegion}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
      };
    }
    case "aws:iam/role:Role":
      return { name, arn: `arn:aws:iam::${account}:role/${name}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { name: inputs.name ?? name, arn: arn("logs", `log-group:${inputs.name ?? name}`) };
    case "aws:apigatewayv2/api:Api": {
      const scheme = inputs.protocolType === "WEBSOCKET" ? "wss" : "https";
      return { apiEndpoint: `${scheme}://${id}.execute-api.${mockRegion}.amazonaws.com`, executionArn: arn("execute-api", id) };
    }
    case "aws:cognito/userPool:UserPool":
      return { arn: arn("cognito-idp", `userpool/${mockRegion}_${name}`), endpoint: `cognito-idp.${mockRegion}.amazonaws.com/${id}` };
    case "aws:cloudfront/distribution:Distribution":
      return { domainName: `${name}.cloudfront.net`, arn: `arn:aws:cloudfront::${account}:distribution/${id}` };
    case "aws:cloudfront/function:Function":
      return { arn: `arn:aws:cloudfront::${account}:function/${name}` };
    case "aws:sns/topic:Topic":
      return { name, arn: arn("sns", name) };
    case "aws:scheduler/schedule:Schedule":
      return { name: inputs.name ?? name, arn: arn("scheduler", `schedule/default/${name}`) };
    case "aws:cloudwatch/dashboard:Dashboard":
      return { dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${inputs.dashboardName}` };
    default:
      return { arn: arn("mock", `${type}/${name}`) };
  }
}
