/**
 * The bodies of POST /apps and POST /apps/{appId}/webhooks: JSON objects checked as every
 * body is (jsonBody.ts), then by their schema (functions/domain/app/app.ts).
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { z } from "zod";
import { limits } from "../domain/limits";
import { checkJsonEnvelope, lowerCaseKeys, parseJsonObject } from "./jsonBody";
import { describeProblems } from "./parseEventRequest";
import type { ApiError } from "./responses";

export type Parsed<T> = { ok: true; input: T } | { ok: false; error: ApiError };

export function parseAppBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S, what: string): Parsed<z.output<S>> {
  const refused = checkJsonEnvelope(event, lowerCaseKeys(event.headers ?? {}), limits.bodyBytes, what);
  if (refused) return { ok: false, error: refused };
  const parsed = parseJsonObject(event, what, "it has no nested fields");
  if (!parsed.ok) return parsed;
  const checked = schema.safeParse(parsed.object);
  if (checked.success) return { ok: true, input: checked.data };
  const problems = checked.error.issues.map((issue) =>
    issue.code === "unrecognized_keys"
      ? { field: issue.keys.join(", "), message: "is not a field of this request" }
      : { field: issue.path.map(String).join(".") || "(body)", message: issue.message },
  );
  return { ok: false, error: { status: 400, code: "invalid_field", message: describeProblems(`This ${what} is not valid`, problems), details: problems } };
}

/**
 * A webhook's URL, on the API the request came in by: its base is the request's path
 * without the route's own part (`/apps/<appId>/webhooks`), so it holds the sandbox's `/api`.
 */
export function webhookUrl(event: APIGatewayProxyEventV2, webhookId: string, secret: string): string {
  const headers = lowerCaseKeys(event.headers ?? {});
  const proto = headers["x-forwarded-proto"] === "http" ? "http" : "https";
  const base = event.rawPath.replace(/\/apps\/[^/]+\/webhooks\/?$/, "");
  return `${proto}://${event.requestContext.domainName}${base}/hooks/${webhookId}/${secret}`;
}
