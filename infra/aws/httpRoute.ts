import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { LambdaFunction } from "./lambdaFunction";

/** Who checks a route's caller: the JWT authorizer, a Lambda (REQUEST) authorizer, or nobody. */
export type RouteAuth = { type: "JWT" | "CUSTOM"; authorizerId: pulumi.Input<string> } | { type: "NONE" };

/**
 * One route of the HTTP API to a function (proxy integration, payload 2.0), and the
 * permission for this API's route, and only it, to invoke the function:
 * `{executionArn}/{stage}/{method}/{path}`.
 */
export function httpRoute(
  name: string,
  args: { api: aws.apigatewayv2.Api; routeKey: string; fn: LambdaFunction; auth: RouteAuth },
  opts: pulumi.CustomResourceOptions,
): aws.apigatewayv2.Route {
  const { api, routeKey, fn, auth } = args;
  const integration = new aws.apigatewayv2.Integration(
    `${name}-integration`,
    { apiId: api.id, integrationType: "AWS_PROXY", integrationUri: fn.invokeArn, payloadFormatVersion: "2.0" },
    opts,
  );
  const route = new aws.apigatewayv2.Route(
    `${name}-route`,
    {
      apiId: api.id,
      routeKey,
      target: pulumi.interpolate`integrations/${integration.id}`,
      authorizationType: auth.type,
      ...(auth.type === "NONE" ? {} : { authorizerId: auth.authorizerId }),
    },
    opts,
  );
  const [method, path] = routeKey.split(" ") as [string, string];
  new aws.lambda.Permission(
    `${name}-invoke`,
    {
      action: "lambda:InvokeFunction",
      function: fn.functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn: pulumi.interpolate`${api.executionArn}/*/${method}${path.replace(/\{[^}]+\}/g, "*")}`,
    },
    opts,
  );
  return route;
}
